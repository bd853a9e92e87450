using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Bulk;

/// <summary>
/// The status URL as users handle it: checked when they give one (-StatusUrl), and named in the error that tells
/// them how to finish an export whose files did not all arrive.
/// </summary>
public static class BulkStatusUrls
{
    /// <summary>Checks a -StatusUrl before anything is sent to it.</summary>
    /// <exception cref="FhirSecurityException">BulkExportStatusUrlInvalid.</exception>
    public static Uri Checked(Uri given)
        => given.IsAbsoluteUri && (given.Scheme == Uri.UriSchemeHttps || given.Scheme == Uri.UriSchemeHttp)
            ? given
            : throw new FhirSecurityException(
                ErrorIds.BulkExportStatusUrlInvalid,
                FailureCategory.InvalidArgument,
                $"-StatusUrl '{given.OriginalString}' is not an absolute http(s) URL: give the StatusUrl of the"
                + " export object that Export-FhirBulkData -NoWait returned (or the Content-Location of the kick-off).",
                given.OriginalString);

    /// <summary>The error that ends a run in which <paramref name="failed"/> files could not be downloaded.</summary>
    public static FhirSecurityException Incomplete(int failed, Uri statusUrl, string folder)
        => new(
            ErrorIds.BulkExportIncomplete,
            FailureCategory.ReadError,
            $"{failed} file(s) of the export could not be downloaded (see the errors before this one, and"
            + $" {BulkExportLog.FileName} in the folder). The export stays on the server: once the cause is fixed,"
            + $" finish it with Export-FhirBulkData -StatusUrl '{statusUrl}' -Destination '{folder}', which skips"
            + " the files already complete.",
            statusUrl);
}
