using FhirSecurity.Core.Errors;

namespace FhirSecurity.Commands;

/// <summary>Checks a -StatusUrl a user gave before anything is sent to it.</summary>
internal static class BulkStatusUrls
{
    public static Uri Checked(Uri given)
        => given.IsAbsoluteUri && (given.Scheme == Uri.UriSchemeHttps || given.Scheme == Uri.UriSchemeHttp)
            ? given
            : throw new FhirSecurityException(
                ErrorIds.BulkExportStatusUrlInvalid,
                FailureCategory.InvalidArgument,
                $"-StatusUrl '{given.OriginalString}' is not an absolute http(s) URL: give the StatusUrl of the"
                + " export object that Export-FhirBulkData -NoWait returned (or the Content-Location of the kick-off).",
                given.OriginalString);
}
