namespace FhirSecurity.TestServer;

/// <summary>
/// A federated identity credential on a client, as Entra ID keeps them: the client trusts assertions whose
/// <c>iss</c>, <c>sub</c> and <c>aud</c> are these, signed by the issuer's key (<see cref="FederatedIssuer"/>).
/// </summary>
/// <param name="Issuer">The issuer URL (never fetched: the server knows the issuer's key).</param>
/// <param name="Subject">The platform identity, e.g. <c>system:serviceaccount:fhir:runbook</c>.</param>
/// <param name="Audience">The audience, <see cref="EntraAudience"/> as Entra ID expects.</param>
public sealed record FederatedCredential(string Issuer, string Subject, string Audience)
{
    /// <summary>The audience Entra ID expects of federated assertions.</summary>
    public const string EntraAudience = "api://AzureADTokenExchange";
}
