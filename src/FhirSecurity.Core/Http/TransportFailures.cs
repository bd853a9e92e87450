using System.Security.Authentication;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Http;

/// <summary>Turns what HttpClient throws into errors that say what happened and what to do.</summary>
internal static class TransportFailures
{
    /// <summary>A transport failure (TLS refusal, refused connection, DNS) calling <paramref name="uri"/>.</summary>
    public static FhirSecurityException From(HttpRequestException ex, TlsPolicy tls, Uri uri, string what, string unreachableId)
    {
        if (Find<AuthenticationException>(ex) is not null)
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

    // A handshake that failed: a certificate the policy refused (recorded by TlsPolicy, with the reason), or, with
    // nothing recorded, a handshake that broke off before or after validation, usually over the protocol version.
    private static FhirSecurityException TlsFailure(HttpRequestException ex, TlsPolicy tls, Uri uri, string what)
    {
        string origin = uri.GetLeftPart(UriPartial.Authority);
        TlsRefusal? refusal = tls.LastRefusal(uri.IdnHost);
        if (refusal is { RevocationUnknown: true })
        {
            string advice = tls.RevocationMode == RevocationCheckMode.Offline
                ? "No revocation data for this chain is cached on this machine: run once with -RevocationMode Online so the CRL gets cached, or use -RevocationMode NoCheck if the CA publishes no revocation data (Set-FhirConnection -RevocationMode NoCheck)."
                : "Make the CA's CRL distribution point or OCSP responder reachable from this machine, use -RevocationMode Offline to rely on revocation data already cached here, or -RevocationMode NoCheck if the CA publishes no revocation data (Set-FhirConnection -RevocationMode NoCheck).";
            return new FhirSecurityException(
                ErrorIds.TlsRevocationUnknown,
                FailureCategory.SecurityError,
                $"TLS validation failed for {what} {origin} ({tls.Mode} validation, -RevocationMode {tls.RevocationMode}): {refusal.Reason}. Nothing was sent. {advice}",
                uri,
                ex);
        }

        if (refusal is null && tls.MinimumVersion == TlsVersion.Tls13)
        {
            return new FhirSecurityException(
                ErrorIds.TlsProtocolMismatch,
                FailureCategory.SecurityError,
                $"The TLS handshake with {what} {origin} failed ({Innermost(ex).Message}): the connection requires TLS 1.3 (-MinimumTlsVersion 1.3), and the server most likely does not offer it. Nothing was sent. Enable TLS 1.3 on the server, or allow TLS 1.2: Set-FhirConnection -MinimumTlsVersion 1.2.",
                uri,
                ex);
        }

        string reason = refusal?.Reason
            ?? $"the TLS handshake failed ({Innermost(ex).Message}); the server may offer only TLS versions older than 1.2, which are never used";
        return new FhirSecurityException(
            ErrorIds.TlsValidationFailed,
            FailureCategory.SecurityError,
            $"TLS validation failed for {what} {origin} ({tls.Mode} validation): {reason}. Nothing was sent. If the server uses an internal CA, import it with Import-FhirCaBundle and use -TlsValidation CustomBundle.",
            uri,
            ex);
    }

    /// <summary>The request took longer than its timeout.</summary>
    public static FhirSecurityException Timeout(Uri uri, TimeSpan timeout, string what, string errorId)
        => new(
            errorId,
            FailureCategory.OperationTimeout,
            $"{what} {uri.GetLeftPart(UriPartial.Path)} did not answer within {timeout.TotalSeconds:0.#} s. Try again, or raise the timeout (-TimeoutSec, or Set-FhirConnection -TimeoutSec).",
            uri);

    private static T? Find<T>(Exception ex)
        where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
