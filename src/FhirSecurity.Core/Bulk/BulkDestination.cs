using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Bulk;

/// <summary>The folder an export's files go to: created when missing, and empty unless the user said otherwise.</summary>
public static class BulkDestination
{
    /// <summary>
    /// Makes sure <paramref name="folder"/> (a full path) is a folder to write into: creates it, and refuses one
    /// that holds anything unless <paramref name="allowNonEmpty"/> (-Force, or attaching to an export again).
    /// </summary>
    /// <exception cref="FhirSecurityException">BulkExportDestinationInvalid, BulkExportDestinationNotEmpty.</exception>
    public static void Prepare(string folder, bool allowNonEmpty)
    {
        if (File.Exists(folder))
        {
            throw Invalid(folder, "it is a file, not a folder");
        }

        try
        {
            if (Directory.Exists(folder))
            {
                if (!allowNonEmpty && Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    throw new FhirSecurityException(
                        ErrorIds.BulkExportDestinationNotEmpty,
                        FailureCategory.ResourceExists,
                        $"The destination {folder} is not empty: an export there could mix its files with others."
                        + " Name an empty or new folder, add -Force to write into it anyway, or -StatusUrl to finish"
                        + " the export whose files are there.",
                        folder);
                }

                return;
            }

            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Invalid(folder, ex.Message);
        }
    }

    private static FhirSecurityException Invalid(string folder, string why)
        => new(
            ErrorIds.BulkExportDestinationInvalid,
            FailureCategory.WriteError,
            $"The destination {folder} cannot hold the export's files: {why}. Name a folder you can write to.",
            folder);
}
