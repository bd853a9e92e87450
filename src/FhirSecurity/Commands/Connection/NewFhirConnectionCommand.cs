using System.Management.Automation;
using System.Security;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Commands;

/// <summary>
/// Creates a connection: a FHIR base URL with at most one way to authenticate (Basic or OAuth, never both) and a
/// TLS validation policy, optionally a TLS client certificate and a proxy of its own. Referenced definitions must
/// exist in the same vault.
/// </summary>
[Cmdlet(VerbsCommon.New, "FhirConnection", SupportsShouldProcess = true, DefaultParameterSetName = NoAuthSet)]
[OutputType(typeof(FhirConnectionInfo))]
public sealed class NewFhirConnectionCommand : NewDefinitionCommand
{
    private const string NoAuthSet = "NoAuthentication";
    private const string BasicSet = "BasicAuth";
    private const string OAuthSet = "OAuth";

    /// <summary>The FHIR base URL, e.g. https://fhir.example.org/r4/.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public Uri BaseUri { get; set; } = null!;

    /// <summary>The Basic Auth definition to authenticate with.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BasicSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BasicAuthNameCompleter))]
    public string BasicAuth { get; set; } = string.Empty;

    /// <summary>The OAuth definition to authenticate with.</summary>
    [Parameter(Mandatory = true, ParameterSetName = OAuthSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OAuthNameCompleter))]
    public string OAuth { get; set; } = string.Empty;

    /// <summary>How to validate the server certificate. Default: Default (the system store), or CustomBundle when -CaBundle is given.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public FhirTlsValidation TlsValidation { get; set; }

    /// <summary>The CA bundle for CustomBundle validation.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CaBundleNameCompleter))]
    public string? CaBundle { get; set; }

    /// <summary>The oldest TLS version to negotiate: 1.2 (the default) or 1.3. Nothing older is ever used.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("1.2", "1.3")]
    public string MinimumTlsVersion { get; set; } = "1.2";

    /// <summary>Whether to check the server's certificate chain for revocation: NoCheck (the default), Online or Offline.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public FhirRevocationMode RevocationMode { get; set; } = FhirRevocationMode.NoCheck;

    /// <summary>Per-request timeout in seconds (default 100).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, ConnectionDefinition.MaxTimeoutSec)]
    public int TimeoutSec { get; set; } = ConnectionDefinition.DefaultTimeoutSec;

    /// <summary>Allows credentials over plain http:// (for test setups only).</summary>
    [Parameter]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    /// <summary>A TLS client certificate: a PKCS#12/PFX file, or a PEM certificate (with its key, or see -ClientCertificateKeyPath).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClientCertificatePath { get; set; }

    /// <summary>The PEM private key of a PEM client certificate, when it is not in the certificate file.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClientCertificateKeyPath { get; set; }

    /// <summary>The password of the PFX file or of the encrypted PEM key.</summary>
    [Parameter]
    public SecureString? ClientCertificatePassword { get; set; }

    /// <summary>An http:// proxy for this connection (default: the system proxy).</summary>
    [Parameter]
    public Uri? Proxy { get; set; }

    /// <summary>Credentials for the -Proxy, sent when it asks (407).</summary>
    [Parameter]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>Connect directly, ignoring the system proxy and HTTPS_PROXY.</summary>
    [Parameter]
    public SwitchParameter NoProxy { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            ProxySettings proxy = ConnectionTransport.Proxy(Proxy, ProxyCredential, NoProxy, systemProxy: false, ProxySettings.System, Name);
            ClientCertificate? certificate = ConnectionTransport.ReadClientCertificate(this, ClientCertificatePath, ClientCertificateKeyPath, ClientCertificatePassword, Name);
            var definition = new ConnectionDefinition
            {
                Name = Name,
                BaseUri = ConnectionDefinition.NormalizeBaseUri(BaseUri),
                BasicAuth = ParameterSetName == BasicSet ? BasicAuth : null,
                OAuth = ParameterSetName == OAuthSet ? OAuth : null,
                TlsValidation = Views.ToEngine(IsBound(nameof(TlsValidation)) || CaBundle is null ? TlsValidation : FhirTlsValidation.CustomBundle),
                CaBundle = CaBundle,
                MinimumTlsVersion = Views.ToTlsVersion(MinimumTlsVersion),
                RevocationMode = Views.ToEngine(RevocationMode),
                TimeoutSec = TimeoutSec,
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
                ClientCertificate = certificate,
                Proxy = proxy,
            };
            this.CreateDefinition(definition, Force, PassThru);
        });
}
