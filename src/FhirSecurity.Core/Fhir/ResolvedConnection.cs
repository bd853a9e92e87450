using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Fhir;

/// <summary>A connection with everything it references read from its vault, ready to send requests.</summary>
/// <param name="Connection">The connection.</param>
/// <param name="Vault">The vault it was read from.</param>
/// <param name="Basic">Its Basic Auth definition, if any.</param>
/// <param name="OAuth">Its OAuth definition, if any.</param>
/// <param name="Transport">
/// Its TLS validation (with the CA bundle for CustomBundle), client certificate and proxy.
/// </param>
public sealed record ResolvedConnection(
    ConnectionDefinition Connection,
    string Vault,
    BasicAuthDefinition? Basic,
    OAuthDefinition? OAuth,
    TransportPolicy Transport)
{
    private string? _tokenKey;

    /// <summary>The token cache key of its OAuth definition (null without OAuth), hashed once per resolution.</summary>
    public string? TokenKey
        => OAuth is null ? null : _tokenKey ??= Auth.TokenCache.KeyFor(OAuth, Transport.Fingerprint);

    /// <summary>Identifies the exact definitions used: a change to any of them changes it.</summary>
    public string Revisions
        => $"{Connection.Name}@{Connection.Revision}"
           + (Basic is null ? string.Empty : $" basic:{Basic.Name}@{Basic.Revision}")
           + (OAuth is null ? string.Empty : $" oauth:{OAuth.Name}@{OAuth.Revision}");
}
