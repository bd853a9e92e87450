namespace FhirSecurity.TestServer;

/// <summary>One injected failure. Build with the static methods.</summary>
/// <param name="Kind">What it does.</param>
/// <param name="StatusCode">HTTP status for <see cref="FaultKind.Status"/>.</param>
/// <param name="RetryAfter">Sent as <c>Retry-After</c> in whole seconds (rounded up) when set.</param>
/// <param name="Delay">Wait before acting; with <see cref="FaultKind.Delay"/> the request is then served normally.</param>
public sealed record Fault(FaultKind Kind, int StatusCode = 200, TimeSpan? RetryAfter = null, TimeSpan Delay = default)
{
    /// <summary>An error status such as 429 or 503, optionally with <c>Retry-After</c> and a delay.</summary>
    public static Fault Status(int statusCode, TimeSpan? retryAfter = null, TimeSpan delay = default) => new(FaultKind.Status, statusCode, retryAfter, delay);

    /// <summary>A slow but otherwise normal response.</summary>
    public static Fault Slow(TimeSpan delay) => new(FaultKind.Delay, Delay: delay);

    /// <summary>A 200 whose body is not JSON.</summary>
    public static Fault InvalidJson() => new(FaultKind.InvalidJson);

    /// <summary>A 200 token response without <c>access_token</c>.</summary>
    public static Fault MissingAccessToken() => new(FaultKind.MissingAccessToken);

    /// <summary>A dropped connection.</summary>
    public static Fault Abort() => new(FaultKind.Abort);

    /// <summary>A redirect (301, 302, 303, 307 or 308) to <paramref name="location"/>, sent as given (relative or absolute).</summary>
    public static Fault Redirect(string location, int statusCode = 302) => new(FaultKind.Redirect, statusCode) { Location = location };

    /// <summary>An answer with this status and JSON body (e.g. a Bundle whose next link points elsewhere).</summary>
    public static Fault Json(int statusCode, string body) => new(FaultKind.Json, statusCode) { Body = body };

    /// <summary>
    /// An answer with this status and a body that is not JSON (a gateway's HTML error page, plain text). Every
    /// <see cref="AuthorizationPlaceholder"/> in the body becomes the request's Authorization header, as a careless
    /// gateway echoes it, so tests can prove a credential sent never comes back in an error message.
    /// </summary>
    public static Fault Page(int statusCode, string contentType, string body)
        => new(FaultKind.Page, statusCode) { ContentType = contentType, Body = body };

    /// <summary>Like <see cref="Status"/>, with <c>Retry-After</c> as an HTTP date <paramref name="retryAfter"/> from now.</summary>
    public static Fault StatusRetryAfterDate(int statusCode, TimeSpan retryAfter) => new(FaultKind.Status, statusCode, retryAfter) { RetryAfterAsDate = true };

    /// <summary>What <see cref="Page"/> replaces with the request's Authorization header.</summary>
    public const string AuthorizationPlaceholder = "{Authorization}";

    /// <summary>Where <see cref="FaultKind.Redirect"/> points.</summary>
    public string? Location { get; init; }

    /// <summary>The body of <see cref="FaultKind.Json"/> and <see cref="FaultKind.Page"/>.</summary>
    public string? Body { get; init; }

    /// <summary>The content type of <see cref="FaultKind.Page"/>.</summary>
    public string? ContentType { get; init; }

    /// <summary>Send <see cref="RetryAfter"/> as an HTTP date (RFC 9110 10.2.3) rather than seconds.</summary>
    public bool RetryAfterAsDate { get; init; }
}
