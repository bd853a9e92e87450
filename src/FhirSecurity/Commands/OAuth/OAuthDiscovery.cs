using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Definitions.Edits;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Commands;

/// <summary>New-FhirOAuth -Discover: reads the SMART configuration with the TLS the user chose for it.</summary>
internal static class OAuthDiscovery
{
    /// <summary>How long the discovery GET may take.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <paramref name="edit"/> with the token endpoint the SMART configuration of <paramref name="fhirBase"/> names.
    /// Every local rule is checked first, so the network is asked only about a definition that could be saved; the
    /// configuration is read over a pooled client of the TLS the edit chose (a CA bundle from the vault the
    /// definition goes to). Writes the Skip warning, the configuration's warnings and a verbose line.
    /// </summary>
    public static OAuthEdit Discover(FhirCommand cmdlet, OAuthEdit edit, Uri fhirBase, string name)
    {
        OAuthDefinition local = edit.Create(name);
        local.Validate();
        TlsValidationMode mode = edit.DiscoveryTls(name);
        CaBundle? bundle = edit.DiscoveryCaBundle is not { } caBundle
            ? null
            : cmdlet.Store
                .Get<CaBundleDefinition>(
                    DefinitionKind.CaBundle, caBundle, cmdlet.Store.Vaults.ResolveWriteVault(cmdlet.Vault))
                .Definition.Load();
        if (mode == TlsValidationMode.Skip)
        {
            cmdlet.WriteWarning(
                $"SMART discovery of {fhirBase} skips TLS certificate validation: anyone on the network path could name"
                + " their own token endpoint, and the client's credentials would go there. Use -CaBundle with the"
                + " server's CA instead.");
        }

        PooledClient client = HandlerPool.Shared.GetClient(new TransportPolicy(mode, bundle));
        SmartConfiguration smart = cmdlet.Wait(
            SmartDiscovery.DiscoverAsync(fhirBase, client.Http, client.Transport, Timeout, cmdlet.StopToken));
        cmdlet.WriteVerbose(
            $"SMART discovery: {smart.Source} names the token endpoint {smart.TokenEndpoint} ({mode} TLS validation).");
        foreach (string warning in smart.Check(local.ClientAuthentication, local.Algorithm, name))
        {
            cmdlet.WriteWarning(warning);
        }

        return edit.Discovered(smart.TokenEndpoint, fhirBase);
    }
}
