using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Storage;

namespace FhirSecurity.Core.Fhir;

/// <summary>Reads a connection and what it references from one vault.</summary>
public static class ConnectionResolver
{
    /// <summary>
    /// Resolves <paramref name="name"/>: the connection from the chosen vault (or the first vault that has it), its
    /// Basic Auth, OAuth and CA bundle from the same vault. A missing reference (deleted since the connection was
    /// made) is <c>DefinitionNotFound</c>, naming it.
    /// </summary>
    public static ResolvedConnection Resolve(DefinitionStore store, string name, string? vault)
    {
        StoredDefinition<ConnectionDefinition> stored =
            store.Get<ConnectionDefinition>(DefinitionKind.Connection, name, vault);
        ConnectionDefinition connection = stored.Definition;
        BasicAuthDefinition? basic = connection.BasicAuth is { } b
            ? store.Get<BasicAuthDefinition>(DefinitionKind.BasicAuth, b, stored.Vault).Definition
            : null;
        OAuthDefinition? oauth = connection.OAuth is { } o
            ? store.Get<OAuthDefinition>(DefinitionKind.OAuth, o, stored.Vault).Definition
            : null;
        Tls.CaBundle? bundle = connection.CaBundle is { } c
            ? store.Get<CaBundleDefinition>(DefinitionKind.CaBundle, c, stored.Vault).Definition.Load()
            : null;
        var transport = new TransportPolicy(
            connection.TlsValidation,
            bundle,
            connection.MinimumTlsVersion,
            connection.RevocationMode,
            connection.ClientCertificate,
            connection.Proxy);
        return new ResolvedConnection(connection, stored.Vault, basic, oauth, transport);
    }
}
