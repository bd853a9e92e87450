using System.Globalization;
using System.Management.Automation;
using FhirSecurity.Core.Bulk;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Commands;

/// <summary>
/// Hears an export's events on worker threads and posts each as a Write* call for the pipeline thread: files as
/// output, failed files as errors, the server's progress and the downloads as one progress bar.
/// </summary>
internal sealed class BulkExportReporter(PSCmdlet cmdlet, Action<Action> post, string connection) : IBulkExportObserver
{
    private readonly ProgressRecord _progress = new(1, $"Bulk Data export through '{connection}'", "Kicked off");

    public void Verbose(string message) => post(() => cmdlet.WriteVerbose(message));

    public void Waiting(string? progress, TimeSpan elapsed)
    {
        string said = progress is null ? string.Empty : $": {progress}";
        string status = $"The server is preparing the files{said} ({Elapsed(elapsed)} so far)";
        post(() =>
        {
            _progress.StatusDescription = status;
            cmdlet.WriteProgress(_progress);
            cmdlet.WriteVerbose(status + ".");
        });
    }

    public void Downloading(int filesDone, int files, long bytes)
        => post(() =>
        {
            _progress.StatusDescription = string.Create(
                CultureInfo.InvariantCulture, $"{filesDone} of {files} file(s), {bytes / 1048576.0:0.0} MB");
            _progress.PercentComplete = files == 0 ? 100 : Math.Min(100, filesDone * 100 / files);
            cmdlet.WriteProgress(_progress);
        });

    public void FileWritten(BulkFileResult file) => post(() => cmdlet.WriteObject(BulkViews.Of(file)));

    public void FileFailed(FhirSecurityException error) => post(() => cmdlet.WriteError(ErrorRecords.From(error)));

    public void Warning(string message) => post(() => cmdlet.WriteWarning(message));

    /// <summary>Ends the progress bar.</summary>
    public void Completed()
    {
        _progress.RecordType = ProgressRecordType.Completed;
        cmdlet.WriteProgress(_progress);
    }

    private static string Elapsed(TimeSpan elapsed)
        => elapsed.ToString(elapsed.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
