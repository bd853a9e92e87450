namespace FhirSecurity.Core.Http;

/// <summary>
/// How the TLS stacks name the alerts a server sends when it wants a client certificate (TLS 1.3
/// certificate_required, 116) or does not accept the one it got (bad_certificate 42, unknown_ca 48,
/// certificate_unknown 46, access_denied 49), as they appear in exception messages.
/// </summary>
internal static class ClientCertificateAlerts
{
    /// <summary>The server wanted a certificate and got none.</summary>
    public static readonly string[] Required = ["certificate required", "CERTIFICATE_REQUIRED", "certificate_required"];

    /// <summary>The server did not accept the certificate.</summary>
    public static readonly string[] Refused =
    [
        "bad certificate",
        "unknown ca",
        "certificate unknown",
        "alert access denied",
        "BAD_CERTIFICATE",
        "UNKNOWN_CA",
        "CERTIFICATE_UNKNOWN",
    ];
}
