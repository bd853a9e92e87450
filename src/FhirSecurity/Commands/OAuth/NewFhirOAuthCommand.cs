using System.Collections;
using System.Management.Automation;
using FhirSecurity.Core.Definitions.Edits;

namespace FhirSecurity.Commands;

/// <summary>
/// Creates an OAuth 2.0 client-credentials definition in a vault: a client secret (client_secret_basic/post) or a
/// private key (private_key_jwt, SMART Backend Services), and a token URL given directly or found by SMART discovery.
/// </summary>
[Cmdlet(VerbsCommon.New, "FhirOAuth", SupportsShouldProcess = true, DefaultParameterSetName = TokenUrlSet)]
[OutputType(typeof(FhirOAuthInfo))]
public sealed class NewFhirOAuthCommand : OAuthWriteCommand
{
    private const string TokenUrlSet = "TokenUrl";
    private const string DiscoverSet = "Discover";

    /// <summary>The definition's name (letters, digits, hyphens).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Replaces an OAuth definition of the same name in that vault.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The token endpoint (https://).</summary>
    [Parameter(Mandatory = true, ParameterSetName = TokenUrlSet, ValueFromPipelineByPropertyName = true)]
    public Uri TokenUrl { get; set; } = null!;

    /// <summary>
    /// The FHIR base URL whose .well-known/smart-configuration names the token endpoint (with -Discover).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = DiscoverSet)]
    public Uri FhirBaseUri { get; set; } = null!;

    /// <summary>Finds the token endpoint by SMART discovery of -FhirBaseUri instead of -TokenUrl.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DiscoverSet)]
    public SwitchParameter Discover { get; set; }

    /// <summary>
    /// How the discovery call validates the server certificate. Default: Default, or CustomBundle with -CaBundle.
    /// </summary>
    [Parameter(ParameterSetName = DiscoverSet)]
    public FhirTlsValidation TlsValidation { get; set; }

    /// <summary>The CA bundle (in the target vault) the discovery call trusts.</summary>
    [Parameter(ParameterSetName = DiscoverSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CaBundleNameCompleter))]
    public string? CaBundle { get; set; }

    /// <summary>The client id.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public string ClientId { get; set; } = string.Empty;

    /// <summary>Scopes to request, e.g. system/Patient.rs.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[] Scope { get; set; } = [];

    /// <summary>How the client authenticates. Default: PrivateKeyJwt with a key, else ClientSecretBasic.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public FhirClientAuthentication ClientAuthentication { get; set; } = FhirClientAuthentication.ClientSecretBasic;

    /// <summary>Further token request parameters, e.g. @{ audience = '...' }.</summary>
    [Parameter]
    public Hashtable ExtraParameter { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            bool discover = ParameterSetName == DiscoverSet;
            // The stand-in token URL comes first, so a bad base URL is named as such.
            OAuthEdit target = discover ? OAuthEdit.Discovering(FhirBaseUri) : new OAuthEdit { TokenUrl = TokenUrl };
            OAuthEdit edit = OAuthKeySource.Edit(this, Name) with
            {
                TokenUrl = target.TokenUrl,
                ClientId = ClientId,
                Scopes = Scope,
                ClientAuthentication
                    = IsBound(nameof(ClientAuthentication)) ? Views.ToEngine(ClientAuthentication) : null,
                ExtraParameters = OAuthParameters.FromHashtable(ExtraParameter, Name),
                DiscoveryTlsValidation = IsBound(nameof(TlsValidation)) ? Views.ToEngine(TlsValidation) : null,
                DiscoveryCaBundle = CaBundle,
            };
            if (discover)
            {
                edit = OAuthDiscovery.Discover(this, edit, FhirBaseUri, Name);
            }

            this.WriteDefinition(Name, edit, Force, PassThru);
        });
}
