namespace FhirSecurity.TestServer;

/// <summary>An OAuth client the token endpoint knows.</summary>
/// <param name="ClientId">The client id.</param>
/// <param name="ClientSecret">The shared secret (unused by a client that may only use private_key_jwt).</param>
/// <param name="AllowedAuthMethods">Which client authentication methods it may use.</param>
/// <param name="AllowedScopes">Scopes it may be granted; a request gets the intersection.</param>
public sealed record OAuthClientRegistration(
    string ClientId,
    string ClientSecret,
    ClientAuthMethods AllowedAuthMethods,
    IReadOnlyList<string> AllowedScopes)
{
    /// <summary>Demo values only: a client that may use both secret methods and read and write patients.</summary>
    public static OAuthClientRegistration Demo { get; } = new(
        "fhir-test-client",
        "demo-secret: not for real use",
        ClientAuthMethods.All,
        ["system/Patient.read", "system/Patient.write", "system/*.read"]);

    /// <summary>
    /// The client's public keys as a JWKS document (<see cref="TestJwks.Of"/>), for <see cref="ClientAuthMethods.PrivateKeyJwt"/>;
    /// null when it has none.
    /// </summary>
    public string? Jwks { get; init; }

    /// <summary>
    /// The federated credential whose assertions authenticate this client (sent with <c>client_id</c>, as Entra ID
    /// takes them); null when it has none.
    /// </summary>
    public FederatedCredential? Federated { get; init; }

    /// <summary>
    /// A workload with no secret at all: it authenticates with assertions of the test issuer
    /// (<see cref="FederatedIssuer"/>) for an AKS-style service account.
    /// </summary>
    public static OAuthClientRegistration Workload { get; } = new(
        "8d1c5f0e-2b7a-4c39-9e61-0f3a5b7c9d21", string.Empty, ClientAuthMethods.None, ["system/Patient.read", "system/*.read"])
    {
        Federated = new(FederatedIssuer.IssuerUrl, "system:serviceaccount:fhir:runbook", FederatedCredential.EntraAudience),
    };

    /// <summary>Shows the client id only, so the secret cannot reach a log through string formatting.</summary>
    public override string ToString() => $"{nameof(OAuthClientRegistration)} {{ ClientId = {ClientId}, AllowedAuthMethods = {AllowedAuthMethods} }}";
}
