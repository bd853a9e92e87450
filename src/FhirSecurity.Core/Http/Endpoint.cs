using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Http;

/// <summary>
/// What a request is sent to, as its errors name it: the FHIR server, the token endpoint or the SMART discovery
/// endpoint, each with its own error ids for "could not reach it" and "it did not answer in time".
/// </summary>
/// <param name="Name">How messages name it, lower case ("the token endpoint").</param>
/// <param name="UnreachableId">The error id of a transport failure that is no TLS or proxy refusal.</param>
/// <param name="TimeoutId">The error id of a request that ran out of time.</param>
internal sealed record Endpoint(string Name, string UnreachableId, string TimeoutId)
{
    /// <summary>The FHIR server of a connection.</summary>
    public static Endpoint FhirServer { get; } = new(
        "the FHIR server", ErrorIds.FhirServerUnreachable, ErrorIds.FhirRequestTimeout);

    /// <summary>An OAuth token endpoint.</summary>
    public static Endpoint TokenEndpoint { get; } = new(
        "the token endpoint", ErrorIds.OAuthTokenEndpointUnreachable, ErrorIds.OAuthTokenTimeout);

    /// <summary>A FHIR server's SMART configuration document.</summary>
    public static Endpoint SmartDiscovery { get; } = new(
        "the SMART discovery endpoint", ErrorIds.OAuthDiscoveryUnreachable, ErrorIds.OAuthDiscoveryTimeout);

    /// <summary>
    /// The error for a request to <paramref name="uri"/> that took longer than <paramref name="timeout"/>, the
    /// request named by <paramref name="subject"/> (a FHIR request by its method), else by the endpoint.
    /// </summary>
    public FhirSecurityException Timeout(Uri uri, TimeSpan timeout, string? subject = null)
        => TransportFailures.Timeout(uri, timeout, subject ?? char.ToUpperInvariant(Name[0]) + Name[1..], TimeoutId);
}
