using System.Collections;
using System.Management.Automation;
using System.Security;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Commands;

/// <summary>
/// Creates an OAuth 2.0 client-credentials definition in a vault: a client secret (client_secret_basic/post) or a
/// private key (private_key_jwt, SMART Backend Services), and a token URL given directly or found by SMART discovery.
/// </summary>
[Cmdlet(VerbsCommon.New, "FhirOAuth", SupportsShouldProcess = true, DefaultParameterSetName = TokenUrlSet)]
[OutputType(typeof(FhirOAuthInfo))]
public sealed class NewFhirOAuthCommand : NewDefinitionCommand
{
    private const string TokenUrlSet = "TokenUrl";
    private const string DiscoverSet = "Discover";

    /// <summary>The token endpoint (https://).</summary>
    [Parameter(Mandatory = true, ParameterSetName = TokenUrlSet, ValueFromPipelineByPropertyName = true)]
    public Uri TokenUrl { get; set; } = null!;

    /// <summary>The FHIR base URL whose .well-known/smart-configuration names the token endpoint (with -Discover).</summary>
    [Parameter(Mandatory = true, ParameterSetName = DiscoverSet)]
    public Uri FhirBaseUri { get; set; } = null!;

    /// <summary>Finds the token endpoint by SMART discovery of -FhirBaseUri instead of -TokenUrl.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DiscoverSet)]
    public SwitchParameter Discover { get; set; }

    /// <summary>How the discovery call validates the server certificate. Default: Default, or CustomBundle with -CaBundle.</summary>
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

    /// <summary>The client secret (ClientSecretBasic, ClientSecretPost).</summary>
    [Parameter]
    public SecureString? ClientSecret { get; set; }

    /// <summary>A PEM file with the private key (PrivateKeyJwt).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PrivateKeyPath { get; set; }

    /// <summary>The PEM private key as text (PrivateKeyJwt).</summary>
    [Parameter]
    public SecureString? PrivateKey { get; set; }

    /// <summary>RS384 or ES384. Default: RS384 for an RSA key, ES384 for an EC key.</summary>
    [Parameter]
    public FhirJwtAlgorithm? Algorithm { get; set; }

    /// <summary>The key id (kid) the server registered the public key under (PrivateKeyJwt).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyId { get; set; }

    /// <summary>The URL of the client's JWKS, sent as jku (optional, PrivateKeyJwt).</summary>
    [Parameter]
    public Uri? JwksUrl { get; set; }

    /// <summary>Scopes to request, e.g. system/Patient.rs.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[] Scope { get; set; } = [];

    /// <summary>How the client authenticates. Default: PrivateKeyJwt when a key is given, else ClientSecretBasic.</summary>
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
            // Checked before anything else, so a bad base URL is named as such.
            Uri tokenUrl = discover ? SmartDiscovery.ConfigurationUri(FhirBaseUri) : TokenUrl;
            ClientKey? key = OAuthKeySource.Read(this, PrivateKeyPath, PrivateKey, Name);
            bool keySettings = key is not null || Algorithm is not null || KeyId is not null || JwksUrl is not null;
            OAuthClientAuthentication method = IsBound(nameof(ClientAuthentication)) ? Views.ToEngine(ClientAuthentication)
                : keySettings ? OAuthClientAuthentication.PrivateKeyJwt
                : OAuthClientAuthentication.ClientSecretBasic;
            var definition = new OAuthDefinition
            {
                Name = Name,
                TokenUrl = tokenUrl,
                ClientId = ClientId,
                ClientSecret = SecureStrings.ToSecret(ClientSecret),
                ClientAuthentication = method,
                PrivateKey = key?.Pem,
                Algorithm = Algorithm is { } algorithm ? Views.ToEngine(algorithm) : key?.DefaultAlgorithm,
                KeyId = KeyId,
                JwksUrl = JwksUrl,
                Scopes = Scope,
                ExtraParameters = OAuthParameters.FromHashtable(ExtraParameter, Name),
            };

            if (discover)
            {
                // Every local rule first: the network is asked only about a definition that could be saved.
                definition.Validate();
                SmartConfiguration smart = OAuthDiscovery.Discover(this, FhirBaseUri, IsBound(nameof(TlsValidation)) ? TlsValidation : null, CaBundle, Name);
                foreach (string warning in smart.Check(method, definition.Algorithm, Name))
                {
                    WriteWarning(warning);
                }

                definition = definition with { TokenUrl = smart.TokenEndpoint, DiscoveredFrom = FhirBaseUri };
            }

            this.CreateDefinition(definition, Force, PassThru);
        });
}
