using System.Collections;
using System.Management.Automation;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions.Edits;

namespace FhirSecurity.Commands;

/// <summary>
/// Creates an OAuth 2.0 client-credentials definition in a vault: a client secret (client_secret_basic/post), a
/// private key (private_key_jwt, SMART Backend Services) or a federated assertion file, and a token URL given directly,
/// found by SMART discovery or read from the environment; or an Azure managed identity, which needs neither.
/// </summary>
[Cmdlet(VerbsCommon.New, "FhirOAuth", SupportsShouldProcess = true, DefaultParameterSetName = TokenUrlSet)]
[OutputType(typeof(FhirOAuthInfo))]
public sealed class NewFhirOAuthCommand : OAuthWriteCommand
{
    private const string TokenUrlSet = "TokenUrl";
    private const string DiscoverSet = "Discover";
    private const string FromEnvironmentSet = "FromEnvironment";
    private const string ManagedIdentitySet = "ManagedIdentity";

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

    /// <summary>
    /// Reads a federated credential from the environment AKS workload identity sets: AZURE_CLIENT_ID,
    /// AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE and AZURE_AUTHORITY_HOST (token URL
    /// &lt;authority&gt;/&lt;tenant&gt;/oauth2/v2.0/token).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = FromEnvironmentSet)]
    public SwitchParameter FromEnvironment { get; set; }

    /// <summary>
    /// Gets tokens from the Azure managed identity of the machine or sandbox (App Service, Functions, Automation, VMs,
    /// Arc) through Azure.Identity: no token URL, no secret. Give one -Scope, the resource's .default scope.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ManagedIdentitySet)]
    public SwitchParameter ManagedIdentity { get; set; }

    /// <summary>The client id (a GUID) of a user-assigned identity; without it, the system-assigned identity.</summary>
    [Parameter(ParameterSetName = ManagedIdentitySet)]
    [ValidateNotNullOrEmpty]
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The client id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TokenUrlSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = DiscoverSet, ValueFromPipelineByPropertyName = true)]
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
            OAuthEdit target = ParameterSetName switch
            {
                DiscoverSet => OAuthEdit.Discovering(FhirBaseUri) with { ClientId = ClientId },
                FromEnvironmentSet => FromEnvironmentEdit(),
                ManagedIdentitySet => new OAuthEdit
                {
                    ManagedIdentity = true, ManagedIdentityClientId = ManagedIdentityClientId ?? string.Empty,
                },
                _ => new OAuthEdit { TokenUrl = TokenUrl, ClientId = ClientId },
            };
            OAuthEdit given = OAuthKeySource.Edit(this, Name);
            OAuthEdit edit = given with
            {
                ManagedIdentity = target.ManagedIdentity,
                ManagedIdentityClientId = target.ManagedIdentityClientId,
                TokenUrl = target.TokenUrl,
                ClientId = target.ClientId,
                ClientAssertionPath = target.ClientAssertionPath ?? given.ClientAssertionPath,
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

    private OAuthEdit FromEnvironmentEdit()
    {
        FederatedEnvironment federated = FederatedEnvironment.Read(Environment.GetEnvironmentVariable, Name);
        return new OAuthEdit
        {
            TokenUrl = federated.TokenUrl,
            ClientId = federated.ClientId,
            // -ClientAssertionPath, when given, names the file instead of AZURE_FEDERATED_TOKEN_FILE.
            ClientAssertionPath = ClientAssertionPath is null
                ? OAuthKeySource.AssertionFile(this, federated.AssertionPath, Name)
                : null,
        };
    }
}
