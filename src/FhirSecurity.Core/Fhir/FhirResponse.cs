using FhirSecurity.Core.Auth;

namespace FhirSecurity.Core.Fhir;

/// <summary>What a FHIR server answered, and how the request went.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ReasonPhrase">The HTTP reason phrase.</param>
/// <param name="Uri">The URL that answered (after redirects, the last one).</param>
/// <param name="Body">The body text (empty for none).</param>
/// <param name="ContentType">The media type of the body, or null.</param>
/// <param name="Location">The Location header, or null.</param>
/// <param name="ETag">The ETag header, or null.</param>
/// <param name="TokenSource">Where the bearer token came from.</param>
/// <param name="Elapsed">How long the exchange took, token fetches, redirects and retries included.</param>
public sealed record FhirResponse(
    int StatusCode,
    string? ReasonPhrase,
    Uri Uri,
    string Body,
    string? ContentType,
    string? Location,
    string? ETag,
    TokenSource TokenSource,
    TimeSpan Elapsed)
{
    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>How long the server's <c>Retry-After</c> asked to wait, or null.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The server's <c>Date</c> header (when it answered, by its clock), or null.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>The bearer token the last exchange carried, or null (its value shows redacted).</summary>
    public AccessToken? Token { get; init; }

    /// <summary>
    /// True when a TLS handshake with the host that answered asked for a client certificate and the connection has
    /// none: an error answer may then be a TLS front refusing the request for that (nginx's 400).
    /// </summary>
    public bool ClientCertificateMissing { get; init; }

    /// <summary>The <c>Content-Location</c> header, or null: where a Bulk Data export's status is polled.</summary>
    public Uri? ContentLocation { get; init; }

    /// <summary>The <c>X-Progress</c> header of a Bulk Data status answer, or null.</summary>
    public string? Progress { get; init; }

    /// <summary>How many times the request was sent (1 without retries); redirects are not counted.</summary>
    public int Attempts { get; init; } = 1;
}
