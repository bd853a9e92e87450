using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Fhir;

/// <summary>
/// Sends requests for one resolved connection: the pooled client of its TLS policy, and its credentials
/// (a Basic header, or a bearer token from the token cache) only on requests to the connection's own origin.
/// </summary>
public sealed class FhirClient
{
    private readonly ResolvedConnection _connection;
    private readonly HttpClient _http;
    private readonly TlsPolicy _tls;
    private readonly TokenCache _tokens;
    private readonly TimeProvider _clock;
    private readonly string? _tokenKey;

    /// <summary>Creates a client over the shared handler pool and token cache.</summary>
    public FhirClient(ResolvedConnection connection, HandlerPool pool, TokenCache tokens, TimeProvider clock)
    {
        _connection = connection;
        (_http, _tls) = pool.GetClient(connection.Tls);
        _tokens = tokens;
        _clock = clock;
        _tokenKey = connection.OAuth is { } oauth ? TokenCache.KeyFor(oauth, connection.Tls.Fingerprint) : null;
    }

    /// <summary>
    /// Sends <paramref name="request"/> once. A bearer token the server answers 401 to is dropped from the cache,
    /// so a replay gets a new one.
    /// </summary>
    public async Task<FhirResponse> SendAsync(FhirRequest request, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(request.Timeout);
        bool withCredentials = FhirUris.SameOrigin(request.Uri, _connection.Connection.BaseUri);

        using var message = new HttpRequestMessage(request.Method, request.Uri);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirRequest.FhirJson));
        foreach (KeyValuePair<string, string> header in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType) { CharSet = "utf-8" };
        }

        TokenSource source = TokenSource.None;
        AccessToken? token = null;
        if (withCredentials)
        {
            (message.Headers.Authorization, token, source) = await AuthorizeAsync(request, deadline.Token, cancellation).ConfigureAwait(false);
        }

        try
        {
            using HttpResponseMessage response = await _http.SendAsync(message, deadline.Token).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            if ((int)response.StatusCode == 401 && token is not null)
            {
                // The next attempt must not get this token again, whoever makes it.
                _tokens.Invalidate(_tokenKey!, token);
            }

            return new FhirResponse(
                (int)response.StatusCode,
                response.ReasonPhrase,
                request.Uri,
                body,
                response.Content.Headers.ContentType?.MediaType,
                response.Headers.Location?.ToString(),
                response.Headers.ETag?.ToString(),
                source,
                watch.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw TransportFailures.Timeout(request.Uri, request.Timeout, request.Method.Method, ErrorIds.FhirRequestTimeout);
        }
        catch (HttpRequestException ex)
        {
            throw TransportFailures.From(ex, _tls, request.Uri, "the FHIR server", ErrorIds.FhirServerUnreachable);
        }
    }

    private async Task<(AuthenticationHeaderValue? Header, AccessToken? Token, TokenSource Source)> AuthorizeAsync(
        FhirRequest request, CancellationToken deadline, CancellationToken cancellation)
    {
        if (_connection.Basic is { } basic)
        {
            string pair = basic.UserName + ":" + basic.Password.Reveal();
            return (new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair))), null, TokenSource.None);
        }

        if (_connection.OAuth is not { } oauth)
        {
            return (null, null, TokenSource.None);
        }

        try
        {
            (AccessToken token, TokenSource source) = await _tokens.GetAsync(_tokenKey!, oauth, Fetch, deadline).ConfigureAwait(false);
            return (new AuthenticationHeaderValue("Bearer", token.Value.Reveal()), token, source);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw TransportFailures.Timeout(oauth.TokenUrl, request.Timeout, "The token endpoint", ErrorIds.OAuthTokenTimeout);
        }

        Task<AccessToken> Fetch(CancellationToken token)
            => TokenClient.RequestAsync(oauth, _http, _tls, _clock, request.Timeout, token);
    }
}
