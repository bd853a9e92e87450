using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Bulk;

/// <summary>
/// The folder an export's files go to: checked before the kick-off, created (when missing) only once the server
/// accepted the export, so a refused kick-off leaves nothing behind; empty unless the user said otherwise.
/// </summary>
public static class BulkDestination
{
    /// <summary>
    /// Checks that <paramref name="folder"/> (a full path) is missing or a folder, and refuses one that holds
    /// anything unless <paramref name="allowNonEmpty"/> (-Force, or attaching to an export again).
    /// </summary>
    /// <exception cref="FhirSecurityException">BulkExportDestinationInvalid, BulkExportDestinationNotEmpty.</exception>
    public static void Check(string folder, bool allowNonEmpty)
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

            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Invalid(folder, ex.Message);
        }
    }

    /// <summary>Creates <paramref name="folder"/> (and its parents) when missing.</summary>
    /// <exception cref="FhirSecurityException">BulkExportDestinationInvalid.</exception>
    public static void Create(string folder)
    {
        try
        {
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
