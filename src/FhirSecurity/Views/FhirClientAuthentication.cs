namespace FhirSecurity;

/// <summary>How an OAuth client authenticates to its token endpoint.</summary>
public enum FhirClientAuthentication
{
    /// <summary>Client id and secret in an HTTP Basic header (client_secret_basic).</summary>
    ClientSecretBasic,

    /// <summary>Client id and secret in the form body (client_secret_post).</summary>
    ClientSecretPost,

    /// <summary>A JWT signed with the client's private key (private_key_jwt; SMART Backend Services).</summary>
    PrivateKeyJwt,

    /// <summary>
    /// A signed assertion read from a file at every token request (a federated credential: AKS workload identity, a
    /// CI job's OIDC token). The vault holds the path, never the content.
    /// </summary>
    ClientAssertionFile,

    /// <summary>
    /// The Azure managed identity of the machine or sandbox (App Service, Functions, Automation, VMs, Arc): no token
    /// URL, no secret; the platform's endpoint issues the tokens.
    /// </summary>
    ManagedIdentity,
}
