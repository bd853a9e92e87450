using System.Globalization;
using System.Text;

namespace FhirSecurity.Core.Bulk;

/// <summary>
/// The export's log in its folder, <see cref="FileName"/>: one line per event (UTC time, event, details), appended
/// and flushed as it happens, so a runbook's transcript and a later look at the folder tell the same story. URLs in
/// it are shown as <see cref="BulkManifestFile.DisplayUrl"/>: no signature ever reaches it.
/// </summary>
public sealed class BulkExportLog : IDisposable
{
    /// <summary>The log's file name.</summary>
    public const string FileName = "bulk-export.log";

    private readonly object _gate = new();
    private readonly StreamWriter _writer;
    private readonly TimeProvider _clock;

    /// <summary>Opens (appends to) the log in <paramref name="folder"/>.</summary>
    public BulkExportLog(string folder, TimeProvider clock)
    {
        _clock = clock;
        _writer = new StreamWriter(
            new FileStream(Path.Combine(folder, FileName), FileMode.Append, FileAccess.Write, FileShare.Read),
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>Appends one event; <paramref name="details"/> must hold no secret.</summary>
    public void Write(string @event, string details)
    {
        string line = _clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            + " " + @event + " " + details.ReplaceLineEndings(" ");
        lock (_gate)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }
}
