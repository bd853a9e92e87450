namespace FhirSecurity.TestServer;

/// <summary>How an OAuth client may authenticate at the token endpoint (RFC 6749 2.3.1).</summary>
[Flags]
public enum ClientAuthMethods
{
    /// <summary>No method: the client can never get a token.</summary>
    None = 0,

    /// <summary>client_secret_basic: form-urlencoded id and secret in an <c>Authorization: Basic</c> header.</summary>
    ClientSecretBasic = 1,

    /// <summary>client_secret_post: <c>client_id</c> and <c>client_secret</c> in the form body.</summary>
    ClientSecretPost = 2,

    /// <summary>Both secret methods.</summary>
    All = ClientSecretBasic | ClientSecretPost,

    /// <summary>private_key_jwt (RFC 7523): a JWT signed with a key from the client's <see cref="OAuthClientRegistration.Jwks"/>.</summary>
    PrivateKeyJwt = 4,
}
