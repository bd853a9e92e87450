using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Fhir;

/// <summary>
/// Sends requests for one resolved connection: the pooled client of its TLS policy, and its credentials
/// (a Basic header, or a bearer token from the token cache) only on requests to the connection's own origin.
/// Redirects are followed by <see cref="RedirectPolicy"/>, each hop deciding its own credentials; passing failures
/// are retried by the request's <see cref="RetryPolicy"/>; everything within the request's timeout.
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
        _tokenKey = connection.TokenKey;
    }

    /// <summary>
    /// Sends <paramref name="request"/>, following redirects and retrying as its <see cref="FhirRequest.Retry"/>
    /// allows, all within <see cref="FhirRequest.Timeout"/>. A bearer token the server answers 401 to is dropped from
    /// the cache, so a replay gets a new one. <paramref name="verbose"/> hears each redirect and retry (any thread).
    /// </summary>
    public async Task<FhirResponse> SendAsync(FhirRequest request, CancellationToken cancellation, Action<string>? verbose = null)
    {
        var watch = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(request.Timeout);
        RetryPolicy retry = request.Retry;
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                TimeSpan started = watch.Elapsed;
                Outcome outcome = await FollowRedirectsAsync(request, deadline.Token, cancellation, verbose).ConfigureAwait(false);
                string? passing = outcome.Failure is { } failure
                    ? (outcome.Transient ? failure.Message : null)
                    : RetryPolicy.IsRetryableStatus(outcome.Response!.StatusCode) ? $"{outcome.Response.StatusCode} {outcome.Response.ReasonPhrase}" : null;
                if (passing is null || retry.MaximumRetryCount == 0)
                {
                    return Finish(outcome, attempt, watch);
                }

                if (!retry.Allows(request.Method))
                {
                    verbose?.Invoke($"{request.Method} {RedirectPolicy.Display(request.Uri)}: {passing}. Not retried: {request.Method} is not idempotent (-RetryNonIdempotent retries it, at the risk of doing it twice).");
                    return Finish(outcome, attempt, watch);
                }

                TimeSpan remaining = request.Timeout - watch.Elapsed;
                TimeSpan? retryAfter = outcome.Response?.RetryAfter;
                TimeSpan? wait = retry.Delay(attempt, retryAfter, remaining, Random.Shared.NextDouble(), watch.Elapsed - started);
                if (wait is null)
                {
                    verbose?.Invoke(attempt > retry.MaximumRetryCount
                        ? $"{request.Method} {RedirectPolicy.Display(request.Uri)}: {passing}. Not retried: {retry.MaximumRetryCount} retries used."
                        : $"{request.Method} {RedirectPolicy.Display(request.Uri)}: {passing}. Not retried: the wait{(retryAfter is null ? string.Empty : " the server asked for (Retry-After)")} would not leave time within the timeout ({Seconds(remaining)} s left).");
                    return Finish(outcome, attempt, watch);
                }

                verbose?.Invoke($"{request.Method} {RedirectPolicy.Display(request.Uri)}: {passing}. Retry {attempt} of {retry.MaximumRetryCount} in {Seconds(wait.Value)} s{(retryAfter is null ? string.Empty : " (Retry-After)")}.");
                await Task.Delay(wait.Value, _clock, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw TransportFailures.Timeout(request.Uri, request.Timeout, request.Method.Method, ErrorIds.FhirRequestTimeout);
        }
    }

    private static FhirResponse Finish(Outcome outcome, int attempts, Stopwatch watch)
    {
        if (outcome.Failure is { } failure)
        {
            throw attempts == 1
                ? failure
                : new FhirSecurityException(failure.ErrorId, failure.Category, $"{failure.Message} (after {attempts} attempts)", failure.Target, failure.InnerException);
        }

        return outcome.Response! with { Attempts = attempts, Elapsed = watch.Elapsed };
    }

    private async Task<Outcome> FollowRedirectsAsync(FhirRequest request, CancellationToken deadline, CancellationToken cancellation, Action<string>? verbose)
    {
        FhirRequest hop = request;
        for (int redirects = 0; ; redirects++)
        {
            Outcome outcome = await ExchangeAsync(hop, deadline, cancellation, verbose).ConfigureAwait(false);
            if (outcome.Response is not { } response
                || RedirectPolicy.Next(hop, response.StatusCode, response.Location, redirects) is not { } next)
            {
                return outcome;
            }

            string credentials = !_connection.Connection.HasAuthentication ? string.Empty
                : FhirUris.SameOrigin(next.Uri, _connection.Connection.BaseUri) ? ", with the connection's credentials (same origin)"
                : ", without credentials (another origin)";
            verbose?.Invoke($"{hop.Method} {RedirectPolicy.Display(hop.Uri)} -> {response.StatusCode}: following to {next.Method} {RedirectPolicy.Display(next.Uri)}{credentials}.");
            hop = next;
        }
    }

    /// <summary>One request to one URL, credentials decided by that URL's origin.</summary>
    private async Task<Outcome> ExchangeAsync(FhirRequest request, CancellationToken deadline, CancellationToken cancellation, Action<string>? verbose)
    {
        var watch = Stopwatch.StartNew();
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
            (message.Headers.Authorization, token, source) = await AuthorizeAsync(request, deadline, cancellation, verbose).ConfigureAwait(false);
        }

        try
        {
            using HttpResponseMessage response = await _http.SendAsync(message, deadline).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(deadline).ConfigureAwait(false);
            if ((int)response.StatusCode == 401 && token is not null)
            {
                // The next attempt must not get this token again, whoever makes it.
                _tokens.Invalidate(_tokenKey!, token);
            }

            return new Outcome(
                new FhirResponse(
                    (int)response.StatusCode,
                    response.ReasonPhrase,
                    request.Uri,
                    body,
                    response.Content.Headers.ContentType?.MediaType,
                    response.Headers.Location?.ToString(),
                    response.Headers.ETag?.ToString(),
                    source,
                    watch.Elapsed)
                {
                    RetryAfter = RetryPolicy.RetryAfter(response.Headers.RetryAfter, _clock.GetUtcNow()),
                    Date = response.Headers.Date,
                    Token = token,
                    ClientCertificateMissing = ClientCertificateAnswers.Missing(_tls, request.Uri),
                },
                null,
                false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !deadline.IsCancellationRequested)
        {
            // A response cut short may surface as a bare IOException; it is the same kind of failure.
            HttpRequestException transport = ex as HttpRequestException ?? new HttpRequestException(ex.Message, ex);
            return new Outcome(null, TransportFailures.From(transport, _tls, request.Uri, "the FHIR server", ErrorIds.FhirServerUnreachable), RetryPolicy.IsTransient(ex) && !TransportFailures.IsClientCertificateFailure(ex, _tls, request.Uri));
        }
    }

    private async Task<(AuthenticationHeaderValue? Header, AccessToken? Token, TokenSource Source)> AuthorizeAsync(
        FhirRequest request, CancellationToken deadline, CancellationToken cancellation, Action<string>? verbose)
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

        // Token requests are safe to repeat whatever the FHIR request's method; they share its retry limits.
        Task<AccessToken> Fetch(CancellationToken token)
            => TokenClient.RequestAsync(oauth, _http, _tls, _clock, request.Timeout, token, request.Retry.ForSafeRequest(), verbose);
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>An answer, or a transport failure and whether it may pass.</summary>
    private sealed record Outcome(FhirResponse? Response, FhirSecurityException? Failure, bool Transient);
}
