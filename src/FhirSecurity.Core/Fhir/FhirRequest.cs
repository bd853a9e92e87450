using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Fhir;

/// <summary>
/// One request to a FHIR server, kept as plain values so it can be sent again (a replay after a 401).
/// </summary>
/// <param name="Method">GET, POST, PUT, PATCH, DELETE or HEAD.</param>
/// <param name="Uri">The absolute URL.</param>
/// <param name="Body">The JSON body, or null.</param>
/// <param name="Headers">Extra request headers.</param>
/// <param name="Timeout">How long the request (including a token fetch) may take.</param>
public sealed record FhirRequest(
    HttpMethod Method,
    Uri Uri,
    string? Body,
    IReadOnlyDictionary<string, string> Headers,
    TimeSpan Timeout)
{
    /// <summary>The FHIR JSON media type.</summary>
    public const string FhirJson = "application/fhir+json";

    /// <summary>
    /// When the request is sent again after a passing failure; all attempts share <see cref="Timeout"/>.
    /// </summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>
    /// A Bulk Data request (status, cancel): credentials may also go to the connection's Bulk Data origins.
    /// </summary>
    public bool BulkData { get; init; }

    /// <summary>Content type for a JSON Patch body (PATCH); FHIR JSON for the others.</summary>
    public string ContentType
        => Method == HttpMethod.Patch && Body?.TrimStart().StartsWith('[') == true
            ? "application/json-patch+json"
            : FhirJson;
}
