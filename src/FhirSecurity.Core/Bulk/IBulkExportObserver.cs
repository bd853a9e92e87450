using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Bulk;

/// <summary>
/// Hears what an export does, from any thread; the cmdlet passes each to the pipeline thread (verbose, progress,
/// warnings, output, errors).
/// </summary>
public interface IBulkExportObserver
{
    /// <summary>A step a user may want to see with -Verbose.</summary>
    void Verbose(string message);

    /// <summary>
    /// The export is still running on the server: its <c>X-Progress</c> (or null) and the time waited.
    /// </summary>
    void Waiting(string? progress, TimeSpan elapsed);

    /// <summary>Files done of all, and bytes received so far.</summary>
    void Downloading(int filesDone, int files, long bytes);

    /// <summary>A file is complete on disk.</summary>
    void FileWritten(BulkFileResult file);

    /// <summary>A file could not be downloaded (the others go on).</summary>
    void FileFailed(FhirSecurityException error);

    /// <summary>
    /// Something the user should know that is no failure (errors the server reported, a failed DELETE).
    /// </summary>
    void Warning(string message);
}
