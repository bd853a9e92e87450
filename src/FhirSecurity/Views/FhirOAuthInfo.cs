using System.Collections.ObjectModel;

namespace FhirSecurity;

/// <summary>
/// An OAuth definition as Get-FhirOAuth shows it. The client secret, the private key and the content of an assertion
/// file are never part of it.
/// </summary>
public sealed class FhirOAuthInfo
{
    internal FhirOAuthInfo(
        string name,
        Uri? tokenUrl,
        string? clientId,
        FhirClientAuthentication clientAuthentication,
        IReadOnlyList<string> scope,
        IReadOnlyDictionary<string, string> extraParameter,
        string vault,
        int revision,
        DateTimeOffset updated)
    {
        Name = name;
        TokenUrl = tokenUrl;
        ClientId = clientId;
        ClientAuthentication = clientAuthentication;
        Scope = new ReadOnlyCollection<string>(scope.ToArray());
        ExtraParameter = new ReadOnlyDictionary<string, string>(extraParameter.ToDictionary(p => p.Key, p => p.Value));
        Vault = vault;
        Revision = revision;
        Updated = updated;
    }

    /// <summary>The definition name.</summary>
    public string Name { get; }

    /// <summary>The token endpoint; null for a managed identity.</summary>
    public Uri? TokenUrl { get; }

    /// <summary>The client id; for a managed identity the user-assigned identity's, or null.</summary>
    public string? ClientId { get; }

    /// <summary>How the client authenticates to the token endpoint.</summary>
    public FhirClientAuthentication ClientAuthentication { get; }

    /// <summary>
    /// The redaction mark when the client has a secret (the secret stays in the vault); null when it uses a key.
    /// </summary>
    public string? ClientSecret => HasClientSecret ? Redaction.Mark : null;

    /// <summary>
    /// What the private key is (<c>RSA 3072</c>, <c>ECDSA P-384</c>), never the key itself; null for the secret
    /// methods.
    /// </summary>
    public string? PrivateKey { get; internal init; }

    /// <summary>The algorithm client assertions are signed with (PrivateKeyJwt), or null.</summary>
    public FhirJwtAlgorithm? Algorithm { get; internal init; }

    /// <summary>The key id (kid) sent in client assertions (PrivateKeyJwt), or null.</summary>
    public string? KeyId { get; internal init; }

    /// <summary>The JWKS URL sent as jku in client assertions, or null.</summary>
    public Uri? JwksUrl { get; internal init; }

    /// <summary>
    /// The file the client assertion is read from at every token request (ClientAssertionFile), or null; its
    /// content is never shown.
    /// </summary>
    public string? ClientAssertionPath { get; internal init; }

    /// <summary>The FHIR base URL the token URL was discovered from (New-FhirOAuth -Discover), or null.</summary>
    public Uri? DiscoveredFrom { get; internal init; }

    /// <summary>The scopes requested.</summary>
    public ReadOnlyCollection<string> Scope { get; }

    /// <summary>Extra token request parameters.</summary>
    public ReadOnlyDictionary<string, string> ExtraParameter { get; }

    /// <summary>The vault that holds the definition.</summary>
    public string Vault { get; }

    /// <summary>Starts at 1 and grows with every change.</summary>
    public int Revision { get; }

    /// <summary>When the definition was last written.</summary>
    public DateTimeOffset Updated { get; }

    /// <inheritdoc />
    public override string ToString() => Name;

    internal bool HasClientSecret { get; init; } = true;
}
