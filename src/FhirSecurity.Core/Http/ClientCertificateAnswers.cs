using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Http;

/// <summary>
/// A refusal over a missing client certificate that comes as an HTTP answer, not as a TLS alert: a front such as
/// nginx with <c>ssl_verify_client on</c> asks for a certificate in the handshake, lets the handshake finish without
/// one, and answers the request with an error page. Counted as such: 400 (nginx, "400 No required SSL certificate
/// was sent") and 496 (nginx's own status, kept where an error_page serves it), and 403 when the page names a
/// certificate (IIS 403.7). Not 401, which answers the request's HTTP credentials, nor 495, which nginx gives a
/// certificate that was sent and refused.
/// </summary>
internal static class ClientCertificateAnswers
{
    /// <summary>
    /// True when a handshake with <paramref name="uri"/>'s host asked for a client certificate and the policy has none.
    /// </summary>
    public static bool Missing(TransportPolicy tls, Uri uri)
        => tls.ClientCertificate is null && tls.ClientCertificateRequested(uri.IdnHost);

    /// <summary>
    /// True when an error answer reads as a refusal over the missing certificate: the certificate was asked for and
    /// is <paramref name="missing"/>, the body is no application's own JSON (a FHIR OperationOutcome, an OAuth error:
    /// those are about the request), and the status is one a TLS front uses for it.
    /// </summary>
    public static bool IsRefusal(bool missing, bool applicationJson, int status, string? excerpt)
        => missing && !applicationJson && (status is 400 or 496 || (status == 403 && NamesACertificate(excerpt)));

    /// <summary>
    /// The <c>TlsClientCertificateRequired</c> error for such an answer. <paramref name="answered"/> says which
    /// request got which answer, with the server's excerpt; <paramref name="server"/> names who asked
    /// ("The token endpoint").
    /// </summary>
    public static FhirSecurityException Error(string answered, string server, Uri uri, int status)
        => new(
            ErrorIds.TlsClientCertificateRequired,
            FailureCategory.SecurityError,
            $"{answered}. {server} asked for a TLS client certificate during the handshake and this connection has"
            + " none: most likely that is why it refused. Add one: Set-FhirConnection -ClientCertificatePath"
            + " <pfx or pem file>.",
            uri) { StatusCode = status };

    private static bool NamesACertificate(string? excerpt)
        => excerpt?.Contains("certificate", StringComparison.OrdinalIgnoreCase) == true;
}
