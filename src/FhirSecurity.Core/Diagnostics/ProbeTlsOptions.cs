using System.Net.Security;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Diagnostics;

/// <summary>
/// The TLS handshake options of a connection test, built in one place from the connection's TLS policy, the same
/// settings <see cref="HandlerPool"/> gives the request path (protocols, validation, revocation, the client
/// certificate), so a test shakes hands as a request would.
/// </summary>
internal static class ProbeTlsOptions
{
    /// <summary>The options for a handshake with <paramref name="host"/>, validated by <paramref name="validate"/>.</summary>
    public static SslClientAuthenticationOptions For(TlsPolicy tls, string host, RemoteCertificateValidationCallback validate)
        => new()
        {
            TargetHost = host,
            EnabledSslProtocols = tls.EnabledProtocols,
            CertificateRevocationCheckMode = tls.PlatformRevocationMode,
            RemoteCertificateValidationCallback = validate,
            ClientCertificateContext = tls.ClientCertificateContext,
            LocalCertificateSelectionCallback = tls.SelectClientCertificate,
        };
}
