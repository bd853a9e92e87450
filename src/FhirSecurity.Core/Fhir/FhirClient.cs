using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Bulk;
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
    private readonly TransportPolicy _tls;
    private readonly TokenCache _tokens;
    private readonly TimeProvider _clock;
    private readonly string? _tokenKey;

    /// <summary>Creates a client over the shared handler pool and token cache.</summary>
    public FhirClient(ResolvedConnection connection, HandlerPool pool, TokenCache tokens, TimeProvider clock)
    {
        _connection = connection;
        (_http, _tls) = pool.GetClient(connection.Transport);
        _tokens = tokens;
        _clock = clock;
        _tokenKey = connection.TokenKey;
    }

    /// <summary>
    /// Sends <paramref name="request"/>, following redirects and retrying as its <see cref="FhirRequest.Retry"/>
    /// allows, all within <see cref="FhirRequest.Timeout"/>. A bearer token the server answers 401 to is dropped from
    /// the cache, so a replay gets a new one. <paramref name="verbose"/> hears each redirect and retry (any thread).
    /// </summary>
    public async Task<FhirResponse> SendAsync(
        FhirRequest request, CancellationToken cancellation, Action<string>? verbose = null)
    {
        var plan = new RequestPlan(
            request.Method,
            request.Retry,
            request.Timeout,
            _clock,
            () => $"{request.Method} {UrlRedaction.Display(request.Uri)}",
            () => Endpoint.FhirServer.Timeout(request.Uri, request.Timeout, request.Method.Method))
        {
            Verbose = verbose,
            NotRetried = verbose,
        };
        Attempts<Outcome> sent = await RequestPipeline
            .RunAsync(plan, deadline => AttemptAsync(request, deadline, cancellation, verbose), cancellation)
            .ConfigureAwait(false);
        Outcome last = sent.Result;
        if (last.Failure is { } failure)
        {
            throw sent.Count == 1
                ? failure
                : new FhirSecurityException(
                    failure.ErrorId,
                    failure.Category,
                    $"{failure.Message} (after {sent.Count} attempts)",
                    failure.Target,
                    failure.InnerException);
        }

        return last.Response! with { Attempts = sent.Count, Elapsed = sent.Elapsed };
    }

    private async Task<Attempt<Outcome>> AttemptAsync(
        FhirRequest request, CancellationToken deadline, CancellationToken cancellation, Action<string>? verbose)
    {
        Outcome outcome = await FollowRedirectsAsync(request, deadline, cancellation, verbose).ConfigureAwait(false);
        if (outcome.Failure is { } failure)
        {
            return new(outcome, outcome.Transient ? failure.Message : null);
        }

        FhirResponse response = outcome.Response!;
        return RetryPolicy.IsRetryableStatus(response.StatusCode)
            ? new(outcome, $"{response.StatusCode} {response.ReasonPhrase}", response.RetryAfter)
            : new(outcome);
    }

    private async Task<Outcome> FollowRedirectsAsync(
        FhirRequest request,
        CancellationToken deadline,
        CancellationToken cancellation,
        Action<string>? verbose)
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
                : _connection.Connection.MaySendCredentialsTo(next.Uri, next.BulkData)
                    ? ", with the connection's credentials (same origin)"
                    : ", without credentials (another origin)";
            verbose?.Invoke(
                $"{hop.Method} {UrlRedaction.Display(hop.Uri)} -> {response.StatusCode}: following to {next.Method}"
                + $" {UrlRedaction.Display(next.Uri)}{credentials}.");
            hop = next;
        }
    }

    /// <summary>One request to one URL, credentials decided by that URL's origin.</summary>
    private async Task<Outcome> ExchangeAsync(
        FhirRequest request,
        CancellationToken deadline,
        CancellationToken cancellation,
        Action<string>? verbose)
    {
        var watch = Stopwatch.StartNew();
        bool withCredentials = _connection.Connection.MaySendCredentialsTo(request.Uri, request.BulkData);

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
            (message.Headers.Authorization, token, source) =
                await AuthorizeAsync(request, deadline, cancellation, verbose).ConfigureAwait(false);
        }

        Exchanged exchanged = await HttpExchange.SendAsync(_http, _tls, message, Endpoint.FhirServer, _clock, deadline)
            .ConfigureAwait(false);
        if (exchanged.Answer is not { } answer)
        {
            return new Outcome(null, exchanged.Failure, exchanged.Transient);
        }

        if (answer.Status == 401 && token is not null)
        {
            // The next attempt must not get this token again, whoever makes it.
            _tokens.Invalidate(_tokenKey!, token);
        }

        var response = new FhirResponse(
            StatusCode: answer.Status,
            ReasonPhrase: answer.ReasonPhrase,
            Uri: request.Uri,
            Body: answer.Body,
            ContentType: answer.ContentType,
            Location: answer.Location?.ToString(),
            ETag: answer.ETag?.ToString(),
            TokenSource: source,
            Elapsed: watch.Elapsed)
        {
            RetryAfter = answer.RetryAfter,
            Date = answer.Date,
            Token = token,
            ContentLocation = answer.ContentLocation,
            Progress = answer.Progress,
            ClientCertificateMissing = ClientCertificateAnswers.Missing(_tls, request.Uri),
        };
        return new Outcome(response, null, false);
    }

    private Task<(AuthenticationHeaderValue? Header, AccessToken? Token, TokenSource Source)> AuthorizeAsync(
        FhirRequest request, CancellationToken deadline, CancellationToken cancellation, Action<string>? verbose)
        => ConnectionAuthorization.HeaderAsync(
            _connection, _http, _tls, _tokens, _clock, request.Timeout, request.Retry, deadline, cancellation, verbose);

    /// <summary>An answer, or a transport failure and whether it may pass.</summary>
    private sealed record Outcome(FhirResponse? Response, FhirSecurityException? Failure, bool Transient);
}
