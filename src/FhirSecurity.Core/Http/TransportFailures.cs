using System.Security.Authentication;
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
            string reason = tls.LastFailure(uri.IdnHost) ?? "the TLS handshake failed (" + Innermost(ex).Message + ")";
            return new FhirSecurityException(
                ErrorIds.TlsValidationFailed,
                FailureCategory.SecurityError,
                $"TLS validation failed for {what} {uri.GetLeftPart(UriPartial.Authority)} ({tls.Mode} validation): {reason}. Nothing was sent. If the server uses an internal CA, import it with Import-FhirCaBundle and use -TlsValidation CustomBundle.",
                uri,
                ex);
        }

        return new FhirSecurityException(
            unreachableId,
            FailureCategory.ConnectionError,
            $"Could not reach {what} {uri.GetLeftPart(UriPartial.Authority)}: {Innermost(ex).Message}",
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
