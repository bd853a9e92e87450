using System.Net;
using System.Security.Authentication;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Http;

/// <summary>Turns what HttpClient throws into errors that say what happened and what to do.</summary>
internal static class TransportFailures
{
    /// <summary>A transport failure (TLS refusal, refused connection, DNS) calling <paramref name="uri"/>.</summary>
    public static FhirSecurityException From(
        HttpRequestException ex, TransportPolicy tls, Uri uri, string what, string unreachableId)
    {
        if (ProxyFailure(ex, tls, uri, what) is { } proxyFailure)
        {
            return proxyFailure;
        }

        if (ClientCertificateFailure(ex, tls, uri, what) is { } certificateFailure)
        {
            return certificateFailure;
        }

        if (ExceptionChain.Find<AuthenticationException>(ex) is not null)
        {
            return TlsFailure(ex, tls, uri, what);
        }

        return new FhirSecurityException(
            unreachableId,
            FailureCategory.ConnectionError,
            $"Could not reach {what} {uri.GetLeftPart(UriPartial.Authority)}: {Innermost(ex).Message}",
            uri,
            ex);
    }

    // A handshake that failed: a certificate the policy refused (recorded by TransportPolicy, with the reason),
    // or, with nothing recorded, a handshake that broke off before or after validation, usually over the protocol
    // version.
    private static FhirSecurityException TlsFailure(HttpRequestException ex, TransportPolicy tls, Uri uri, string what)
    {
        string origin = uri.GetLeftPart(UriPartial.Authority);
        TlsRefusal? refusal = tls.LastRefusal(uri.IdnHost);
        if (refusal is { RevocationUnknown: true })
        {
            string advice = tls.RevocationMode == RevocationCheckMode.Offline
                ? "No revocation data for this chain is cached on this machine: run once with -RevocationMode Online"
                  + " so the CRL gets cached, or use -RevocationMode NoCheck if the CA publishes no revocation data"
                  + " (Set-FhirConnection -RevocationMode NoCheck)."
                : "Make the CA's CRL distribution point or OCSP responder reachable from this machine, use"
                  + " -RevocationMode Offline to rely on revocation data already cached here, or -RevocationMode"
                  + " NoCheck if the CA publishes no revocation data (Set-FhirConnection -RevocationMode NoCheck).";
            return new FhirSecurityException(
                ErrorIds.TlsRevocationUnknown,
                FailureCategory.SecurityError,
                $"TLS validation failed for {what} {origin} ({tls.Mode} validation,"
                + $" -RevocationMode {tls.RevocationMode}): {refusal.Reason}. Nothing was sent. {advice}",
                uri,
                ex);
        }

        if (refusal is null && tls.MinimumVersion == TlsVersion.Tls13)
        {
            return new FhirSecurityException(
                ErrorIds.TlsProtocolMismatch,
                FailureCategory.SecurityError,
                $"The TLS handshake with {what} {origin} failed ({Innermost(ex).Message}): the connection requires"
                + " TLS 1.3 (-MinimumTlsVersion 1.3), and the server most likely does not offer it. Nothing was sent."
                + " Enable TLS 1.3 on the server, or allow TLS 1.2: Set-FhirConnection -MinimumTlsVersion 1.2.",
                uri,
                ex);
        }

        string reason = refusal?.Reason
            ?? $"the TLS handshake failed ({Innermost(ex).Message}); the server may offer only TLS versions older"
            + " than 1.2, which are never used";
        return new FhirSecurityException(
            ErrorIds.TlsValidationFailed,
            FailureCategory.SecurityError,
            $"TLS validation failed for {what} {origin} ({tls.Mode} validation): {reason}. Nothing was sent."
            + " If the server uses an internal CA, import it with Import-FhirCaBundle and use"
            + " -TlsValidation CustomBundle.",
            uri,
            ex);
    }

    // The proxy refused the tunnel (407 and other CONNECT answers), or could not be reached at all: either way the
    // request never got to the server, and the fix is in the proxy settings.
    private static FhirSecurityException? ProxyFailure(
        HttpRequestException ex, TransportPolicy tls, Uri uri, string what)
    {
        HttpRequestException? tunnel = ExceptionChain.All<HttpRequestException>(ex)
            .FirstOrDefault(e => e.HttpRequestError == HttpRequestError.ProxyTunnelError);
        Uri? proxy = tls.Proxy.ProxyFor(uri);
        string origin = uri.GetLeftPart(UriPartial.Authority);
        string proxyText = proxy?.GetLeftPart(UriPartial.Authority) ?? "the proxy";
        string setting = tls.Proxy.Mode == ProxyMode.System ? "the system proxy" : "the connection's proxy";
        if (tunnel is not null)
        {
            if (tunnel.StatusCode == HttpStatusCode.ProxyAuthenticationRequired)
            {
                string advice = tls.Proxy.UserName is null
                    ? "Give the proxy credentials: Set-FhirConnection -Proxy <url> -ProxyCredential (Get-Credential)."
                    : $"The proxy refused the user '{tls.Proxy.UserName}': set the right credentials with"
                      + " Set-FhirConnection -ProxyCredential.";
                return new FhirSecurityException(
                    ErrorIds.ProxyAuthenticationRequired,
                    FailureCategory.AuthenticationError,
                    $"{setting[..1].ToUpperInvariant()}{setting[1..]} {proxyText} refused to open a tunnel to {what}"
                    + $" {origin}: it requires authentication (HTTP 407). Nothing was sent to the server. {advice}",
                    uri,
                    ex) { StatusCode = 407 };
            }

            return new FhirSecurityException(
                ErrorIds.ProxyTunnelFailed,
                FailureCategory.ConnectionError,
                $"{setting[..1].ToUpperInvariant()}{setting[1..]} {proxyText} did not open a tunnel to {what} {origin}"
                + $"{(tunnel.StatusCode is { } status ? $" (HTTP {(int)status})" : string.Empty)}:"
                + $" {Innermost(ex).Message} Check that the proxy may reach that host, or use -NoProxy if it is"
                + " reachable directly.",
                uri,
                ex) { StatusCode = tunnel.StatusCode is { } code ? (int)code : null };
        }

        if (proxy is not null
            && ExceptionChain.All<HttpRequestException>(ex)
                .Any(e => e.HttpRequestError == HttpRequestError.ConnectionError))
        {
            return new FhirSecurityException(
                ErrorIds.ProxyUnreachable,
                FailureCategory.ConnectionError,
                $"Could not reach {setting} {proxyText} on the way to {what} {origin}: {Innermost(ex).Message}."
                + " Check the proxy URL (Get-FhirConnection shows it), or use -NoProxy if the server is reachable"
                + " directly.",
                uri,
                ex);
        }

        return null;
    }

    // A server that wants a client certificate and gets none (or one it does not trust) ends the handshake with an
    // alert; with TLS 1.3 the client learns it only when it reads the answer. The alert's name is in the native
    // error text (OpenSSL, SChannel, Apple), which is all there is to go on.
    private static FhirSecurityException? ClientCertificateFailure(
        HttpRequestException ex, TransportPolicy tls, Uri uri, string what)
    {
        // With a certificate configured the handler presents it without asking the callback, so a handshake the
        // server breaks off is put down to the certificate (the message says "most likely").
        // A TLS 1.3-only connection whose handshake fails outright is left to the protocol check below.
        bool presentedAndBroken = tls.ClientCertificate is not null
            && tls.LastRefusal(uri.IdnHost) is null
            && IsHandshakeBreak(ex)
            && !(tls.MinimumVersion == TlsVersion.Tls13
                 && ExceptionChain.Find<AuthenticationException>(ex) is not null);
        if (!presentedAndBroken && !IsClientCertificateFailure(ex, tls, uri))
        {
            return null;
        }

        string origin = uri.GetLeftPart(UriPartial.Authority);
        string server = what[..1].ToUpperInvariant() + what[1..];
        if (tls.ClientCertificate is not { } certificate)
        {
            return new FhirSecurityException(
                ErrorIds.TlsClientCertificateRequired,
                FailureCategory.SecurityError,
                $"{server} {origin} requires a TLS client certificate, and this connection has none: the server asked"
                + $" for one and ended the handshake ({Innermost(ex).Message}). Nothing was sent. Add one:"
                + " Set-FhirConnection -ClientCertificatePath <pfx or pem file>.",
                uri,
                ex);
        }

        string expired = certificate.NotAfter < DateTimeOffset.UtcNow
            ? $" It expired on {certificate.NotAfter:u}."
            : string.Empty;
        return new FhirSecurityException(
            ErrorIds.TlsClientCertificateRefused,
            FailureCategory.SecurityError,
            $"{server} {origin} ended the TLS handshake in which the client certificate '{certificate.Subject}'"
            + $" (thumbprint {certificate.Thumbprint}) was presented ({Innermost(ex).Message}): most likely it refused"
            + $" the certificate.{expired} Nothing was sent. Check that the server trusts the certificate's CA and that"
            + " it is valid for client authentication; replace it with Set-FhirConnection -ClientCertificatePath.",
            uri,
            ex);
    }

    /// <summary>
    /// True when a failure is a server ending the handshake over the client certificate: a certificate alert named
    /// in the native error text, or a server that asked for a certificate and then closed the connection (with TLS
    /// 1.3 the client finishes its side of the handshake first, and the server's alert is often lost). Not a
    /// passing fault: retrying gets the same answer.
    /// </summary>
    public static bool IsClientCertificateFailure(Exception ex, TransportPolicy tls, Uri uri)
    {
        if (tls.LastRefusal(uri.IdnHost) is not null)
        {
            return false;
        }

        string text = string.Join(" | ", ExceptionChain.All<Exception>(ex).Select(e => e.Message));
        if (ClientCertificateAlerts.Required
            .Concat(ClientCertificateAlerts.Refused)
            .Any(a => text.Contains(a, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return tls.ClientCertificate is null && tls.ClientCertificateRequested(uri.IdnHost) && IsHandshakeBreak(ex);
    }

    private static bool IsHandshakeBreak(Exception ex)
        => ExceptionChain.Find<AuthenticationException>(ex) is not null
           || ExceptionChain.All<HttpRequestException>(ex)
               .Any(e => e.HttpRequestError is HttpRequestError.SecureConnectionError or HttpRequestError.ResponseEnded)
           || ExceptionChain.All<HttpIOException>(ex).Any(e => e.HttpRequestError == HttpRequestError.ResponseEnded);

    /// <summary>The request took longer than its timeout.</summary>
    public static FhirSecurityException Timeout(Uri uri, TimeSpan timeout, string what, string errorId)
        => new(
            errorId,
            FailureCategory.OperationTimeout,
            $"{what} {uri.GetLeftPart(UriPartial.Path)} did not answer within {Durations.Seconds(timeout)} s."
            + " Try again, or raise the timeout (-TimeoutSec, or Set-FhirConnection -TimeoutSec).",
            uri);

    /// <summary>The innermost exception: where the platform says what actually failed.</summary>
    public static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
