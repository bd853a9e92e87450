namespace FhirSecurity.TestServer;

/// <summary>What an injected fault does to the request it hits.</summary>
public enum FaultKind
{
    /// <summary>Waits <see cref="Fault.Delay"/>, then serves the request normally.</summary>
    Delay,

    /// <summary>Answers with <see cref="Fault.StatusCode"/> (and <c>Retry-After</c> when set) and an error body.</summary>
    Status,

    /// <summary>Answers 200 with a JSON content type and a body that is not JSON.</summary>
    InvalidJson,

    /// <summary>Answers 200 with a token response that lacks <c>access_token</c> (on FHIR paths: an empty JSON object).</summary>
    MissingAccessToken,

    /// <summary>Drops the connection without a response: a transport error for the client.</summary>
    Abort,

    /// <summary>Answers <see cref="Fault.StatusCode"/> (a 3xx) with <c>Location: </c><see cref="Fault.Location"/>.</summary>
    Redirect,

    /// <summary>Answers <see cref="Fault.StatusCode"/> with <see cref="Fault.Body"/> as FHIR JSON.</summary>
    Json,

    /// <summary>Answers <see cref="Fault.StatusCode"/> with <see cref="Fault.Body"/> as <see cref="Fault.ContentType"/>.</summary>
    Page,
}
