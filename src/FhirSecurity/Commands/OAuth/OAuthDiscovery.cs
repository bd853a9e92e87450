using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Http;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Commands;

/// <summary>New-FhirOAuth -Discover: reads the SMART configuration with the TLS the user chose for it.</summary>
internal static class OAuthDiscovery
{
    /// <summary>How long the discovery GET may take.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The SMART configuration of <paramref name="fhirBase"/>, read over a pooled client of the TLS policy the
    /// parameters give (a CA bundle from the vault the definition goes to). Writes the Skip warning and a verbose line.
    /// </summary>
    public static SmartConfiguration Discover(FhirCommand cmdlet, Uri fhirBase, FhirTlsValidation? tlsValidation, string? caBundle, string definitionName)
    {
        FhirTlsValidation mode = tlsValidation ?? (caBundle is null ? FhirTlsValidation.Default : FhirTlsValidation.CustomBundle);
        if (mode == FhirTlsValidation.CustomBundle && caBundle is null)
        {
            throw new FhirSecurityException(
                ErrorIds.OAuthDiscoveryCaBundleRequired,
                FailureCategory.InvalidArgument,
                "-TlsValidation CustomBundle needs -CaBundle <name>: the CA bundle (Import-FhirCaBundle) that issued the server's certificate.",
                definitionName);
        }

        if (mode != FhirTlsValidation.CustomBundle && caBundle is not null)
        {
            throw new FhirSecurityException(
                ErrorIds.OAuthDiscoveryCaBundleUnused,
                FailureCategory.InvalidArgument,
                $"-CaBundle is used only with -TlsValidation CustomBundle, not {mode}. Leave out -TlsValidation (a CA bundle implies CustomBundle) or -CaBundle.",
                definitionName);
        }

        CaBundle? bundle = caBundle is null
            ? null
            : cmdlet.Store.Get<CaBundleDefinition>(DefinitionKind.CaBundle, caBundle, cmdlet.Store.ResolveWriteVault(cmdlet.Vault)).Definition.Load();
        if (mode == FhirTlsValidation.Skip)
        {
            cmdlet.WriteWarning($"SMART discovery of {fhirBase} skips TLS certificate validation: anyone on the network path could name their own token endpoint, and the client's credentials would go there. Use -CaBundle with the server's CA instead.");
        }

        PooledClient client = HandlerPool.Shared.GetClient(new TlsPolicy(Views.ToEngine(mode), bundle));
        SmartConfiguration configuration = cmdlet.Wait(SmartDiscovery.DiscoverAsync(fhirBase, client.Http, client.Tls, Timeout, cmdlet.StopToken));
        cmdlet.WriteVerbose($"SMART discovery: {configuration.Source} names the token endpoint {configuration.TokenEndpoint} ({mode} TLS validation).");
        return configuration;
    }
}
