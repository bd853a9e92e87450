using System.Management.Automation;
using System.Security;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Tls;

namespace FhirSecurity.Commands;

/// <summary>
/// Changes a connection. Only what is given changes; choosing -BasicAuth drops OAuth and the other way round,
/// -NoAuthentication drops both. The next request made with the connection uses the change.
/// </summary>
[Cmdlet(VerbsCommon.Set, "FhirConnection", SupportsShouldProcess = true, DefaultParameterSetName = KeepAuthSet)]
[OutputType(typeof(FhirConnectionInfo))]
public sealed class SetFhirConnectionCommand : SetDefinitionCommand
{
    private const string KeepAuthSet = "KeepAuthentication";
    private const string NoAuthSet = "NoAuthentication";
    private const string BasicSet = "BasicAuth";
    private const string OAuthSet = "OAuth";

    /// <summary>A new FHIR base URL.</summary>
    [Parameter]
    public Uri? BaseUri { get; set; }

    /// <summary>Authenticate with this Basic Auth definition (replaces OAuth).</summary>
    [Parameter(Mandatory = true, ParameterSetName = BasicSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BasicAuthNameCompleter))]
    public string BasicAuth { get; set; } = string.Empty;

    /// <summary>Authenticate with this OAuth definition (replaces Basic Auth).</summary>
    [Parameter(Mandatory = true, ParameterSetName = OAuthSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OAuthNameCompleter))]
    public string OAuth { get; set; } = string.Empty;

    /// <summary>Send no credentials.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NoAuthSet)]
    public SwitchParameter NoAuthentication { get; set; }

    /// <summary>A new TLS validation mode. Default or Skip drops the CA bundle.</summary>
    [Parameter]
    public FhirTlsValidation? TlsValidation { get; set; }

    /// <summary>A new CA bundle; implies CustomBundle validation.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CaBundleNameCompleter))]
    public string? CaBundle { get; set; }

    /// <summary>A new oldest TLS version to negotiate: 1.2 or 1.3.</summary>
    [Parameter]
    [ValidateSet("1.2", "1.3")]
    public string? MinimumTlsVersion { get; set; }

    /// <summary>A new revocation check: NoCheck, Online or Offline.</summary>
    [Parameter]
    public FhirRevocationMode? RevocationMode { get; set; }

    /// <summary>A new per-request timeout in seconds.</summary>
    [Parameter]
    [ValidateRange(1, ConnectionDefinition.MaxTimeoutSec)]
    public int? TimeoutSec { get; set; }

    /// <summary>Allows (or with :$false, forbids again) credentials over plain http://.</summary>
    [Parameter]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    /// <summary>A new TLS client certificate: a PKCS#12/PFX file, or a PEM certificate (with its key, or see -ClientCertificateKeyPath).</summary>
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

    /// <summary>Removes the client certificate.</summary>
    [Parameter]
    public SwitchParameter NoClientCertificate { get; set; }

    /// <summary>A new http:// proxy for this connection.</summary>
    [Parameter]
    public Uri? Proxy { get; set; }

    /// <summary>Credentials for the connection's proxy (with -Proxy, or alone to change them).</summary>
    [Parameter]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>Connect directly, ignoring the system proxy and HTTPS_PROXY.</summary>
    [Parameter]
    public SwitchParameter NoProxy { get; set; }

    /// <summary>Back to the default: the system proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).</summary>
    [Parameter]
    public SwitchParameter SystemProxy { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            if (NoClientCertificate && ClientCertificatePath is not null)
            {
                throw new FhirSecurityException(ErrorIds.ConnectionClientCertificateConflict, FailureCategory.InvalidArgument, "-NoClientCertificate removes the client certificate and -ClientCertificatePath sets one: choose one.", Name);
            }

            // Read before the vault is touched: a refused certificate leaves the connection as it was.
            ClientCertificate? certificate = ConnectionTransport.ReadClientCertificate(this, ClientCertificatePath, ClientCertificateKeyPath, ClientCertificatePassword, Name);
            this.UpdateDefinition<ConnectionDefinition>(DefinitionKind.Connection, Name, current => Change(current, certificate), PassThru);
        });

    private ConnectionDefinition Change(ConnectionDefinition current, ClientCertificate? certificate)
    {
        ConnectionDefinition changed = current with
        {
            BaseUri = BaseUri is null ? current.BaseUri : ConnectionDefinition.NormalizeBaseUri(BaseUri),
            TimeoutSec = TimeoutSec ?? current.TimeoutSec,
            MinimumTlsVersion = MinimumTlsVersion is null ? current.MinimumTlsVersion : Views.ToTlsVersion(MinimumTlsVersion),
            RevocationMode = RevocationMode is { } revocation ? Views.ToEngine(revocation) : current.RevocationMode,
            AllowUnencryptedAuthentication = IsBound(nameof(AllowUnencryptedAuthentication)) ? AllowUnencryptedAuthentication.IsPresent : current.AllowUnencryptedAuthentication,
            ClientCertificate = NoClientCertificate ? null : certificate ?? current.ClientCertificate,
            Proxy = ConnectionTransport.Proxy(Proxy, ProxyCredential, NoProxy, SystemProxy, current.Proxy, Name),
        };

        changed = ParameterSetName switch
        {
            BasicSet => changed with { BasicAuth = BasicAuth, OAuth = null },
            OAuthSet => changed with { BasicAuth = null, OAuth = OAuth },
            NoAuthSet => changed with { BasicAuth = null, OAuth = null },
            _ => changed,
        };

        if (CaBundle is not null)
        {
            changed = changed with { CaBundle = CaBundle, TlsValidation = TlsValidationMode.CustomBundle };
        }

        if (TlsValidation is { } mode)
        {
            TlsValidationMode engineMode = Views.ToEngine(mode);
            changed = changed with
            {
                TlsValidation = engineMode,
                // A bundle given together with another mode is kept, so validation reports the contradiction.
                CaBundle = engineMode == TlsValidationMode.CustomBundle || CaBundle is not null ? changed.CaBundle : null,
            };
        }

        return changed;
    }
}
