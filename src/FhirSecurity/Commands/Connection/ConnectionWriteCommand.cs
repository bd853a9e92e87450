using System.Management.Automation;
using System.Security;

namespace FhirSecurity.Commands;

/// <summary>
/// New-FhirConnection and Set-FhirConnection: the parameters that mean the same in both (the authentication to
/// use, the CA bundle, the client certificate, the proxy) and -PassThru. What they mean together is the engine's
/// connection edit; <see cref="ConnectionParameterEdit"/> turns them into one.
/// </summary>
public abstract class ConnectionWriteCommand : FhirCommand
{
    internal const string NoAuthSet = "NoAuthentication";
    internal const string BasicSet = "BasicAuth";
    internal const string OAuthSet = "OAuth";

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

    /// <summary>The CA bundle for CustomBundle validation; implies CustomBundle.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CaBundleNameCompleter))]
    public string? CaBundle { get; set; }

    /// <summary>Allows (on Set- with :$false, forbids again) credentials over plain http:// (tests).</summary>
    [Parameter]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    /// <summary>
    /// A TLS client certificate: a PKCS#12/PFX file, or a PEM certificate (with its key, or see
    /// -ClientCertificateKeyPath).
    /// </summary>
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

    /// <summary>An http:// proxy for this connection.</summary>
    [Parameter]
    public Uri? Proxy { get; set; }

    /// <summary>Credentials for the proxy (with -Proxy, or on Set- alone), sent when it asks (407).</summary>
    [Parameter]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>Connect directly, ignoring the system proxy and HTTPS_PROXY.</summary>
    [Parameter]
    public SwitchParameter NoProxy { get; set; }

    /// <summary>
    /// Other https origins that may receive the credentials during a Bulk Data export (a provider's file or status
    /// server); replaces the connection's list.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public Uri[]? BulkDataOrigin { get; set; }

    /// <summary>Writes the definition (secrets redacted) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }
}
