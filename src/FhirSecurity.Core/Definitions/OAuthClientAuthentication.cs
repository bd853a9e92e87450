namespace FhirSecurity.Core.Definitions;

/// <summary>How an OAuth client proves its identity to the token endpoint (RFC 6749 2.3, RFC 7523).</summary>
public enum OAuthClientAuthentication
{
    /// <summary>Client id and secret in an HTTP Basic header (<c>client_secret_basic</c>).</summary>
    ClientSecretBasic,

    /// <summary>Client id and secret in the form body (<c>client_secret_post</c>).</summary>
    ClientSecretPost,

    /// <summary>
    /// A JWT signed with the client's private key (<c>private_key_jwt</c>, RFC 7523; SMART Backend Services).
    /// Documents carry the method as a string, so a reader that does not know a method refuses the document instead
    /// of misreading it.
    /// </summary>
    PrivateKeyJwt,

    /// <summary>
    /// A JWT someone else signed, read from a file at every token request (<c>client_assertion_file</c>, a name of
    /// this module's own): a federated credential such as AKS workload identity's projected token or a CI job's OIDC
    /// token, sent as a jwt-bearer <c>client_assertion</c> (RFC 7523 2.2). The vault holds the file's path, never its
    /// content.
    /// </summary>
    ClientAssertionFile,

    /// <summary>
    /// The Azure managed identity of the machine or sandbox (<c>managed_identity</c>, a name of this module's own):
    /// tokens come from the platform's endpoint through Azure.Identity, with no token URL and no credential at all.
    /// </summary>
    ManagedIdentity,
}
