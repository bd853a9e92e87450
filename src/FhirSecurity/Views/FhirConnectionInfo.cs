namespace FhirSecurity;

/// <summary>A connection as Get-FhirConnection shows it.</summary>
public sealed class FhirConnectionInfo
{
    internal FhirConnectionInfo(
        string name,
        Uri baseUri,
        string? basicAuth,
        string? oAuth,
        FhirTlsValidation tlsValidation,
        string? caBundle,
        string minimumTlsVersion,
        FhirRevocationMode revocationMode,
        int timeoutSec,
        bool allowUnencryptedAuthentication,
        string vault,
        int revision,
        DateTimeOffset updated)
    {
        Name = name;
        BaseUri = baseUri;
        BasicAuth = basicAuth;
        OAuth = oAuth;
        TlsValidation = tlsValidation;
        CaBundle = caBundle;
        MinimumTlsVersion = minimumTlsVersion;
        RevocationMode = revocationMode;
        TimeoutSec = timeoutSec;
        AllowUnencryptedAuthentication = allowUnencryptedAuthentication;
        Vault = vault;
        Revision = revision;
        Updated = updated;
    }

    /// <summary>The connection name.</summary>
    public string Name { get; }

    /// <summary>
    /// The connection name again, under the parameter name of Invoke-FhirRequest, so a connection object piped
    /// into it binds -Connection by property name.
    /// </summary>
    public string Connection => Name;

    /// <summary>The FHIR base URL.</summary>
    public Uri BaseUri { get; }

    /// <summary>How requests authenticate: None, Basic or OAuth.</summary>
    public string Authentication => BasicAuth is not null ? "Basic" : OAuth is not null ? "OAuth" : "None";

    /// <summary>The Basic Auth definition used, if any.</summary>
    public string? BasicAuth { get; }

    /// <summary>The OAuth definition used, if any.</summary>
    public string? OAuth { get; }

    /// <summary>How the server certificate is validated.</summary>
    public FhirTlsValidation TlsValidation { get; }

    /// <summary>The CA bundle for CustomBundle validation, if any.</summary>
    public string? CaBundle { get; }

    /// <summary>The oldest TLS version negotiated: "1.2" (the default) or "1.3".</summary>
    public string MinimumTlsVersion { get; }

    /// <summary>Whether the server's certificate chain is checked for revocation.</summary>
    public FhirRevocationMode RevocationMode { get; }

    /// <summary>Per-request timeout in seconds.</summary>
    public int TimeoutSec { get; }

    /// <summary>True when credentials may travel over plain http://.</summary>
    public bool AllowUnencryptedAuthentication { get; }

    /// <summary>The subject of the TLS client certificate, or null without one.</summary>
    public string? ClientCertificateSubject { get; internal init; }

    /// <summary>The SHA-1 thumbprint of the TLS client certificate, or null.</summary>
    public string? ClientCertificateThumbprint { get; internal init; }

    /// <summary>When the TLS client certificate expires, or null.</summary>
    public DateTimeOffset? ClientCertificateNotAfter { get; internal init; }

    /// <summary>
    /// How servers are reached: System (the system or environment proxy), None (directly) or Explicit
    /// (<see cref="Proxy"/>).
    /// </summary>
    public string ProxyMode { get; internal init; } = "System";

    /// <summary>The explicit proxy URL, or null.</summary>
    public Uri? Proxy { get; internal init; }

    /// <summary>The user name for the explicit proxy, or null (the password is never shown).</summary>
    public string? ProxyUserName { get; internal init; }

    /// <summary>
    /// The other origins that may receive the credentials during a Bulk Data export (empty: the base URL's only).
    /// </summary>
    public string[] BulkDataOrigin { get; internal init; } = [];

    /// <summary>The vault that holds the connection.</summary>
    public string Vault { get; }

    /// <summary>Starts at 1 and grows with every change.</summary>
    public int Revision { get; }

    /// <summary>When the connection was last written.</summary>
    public DateTimeOffset Updated { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
