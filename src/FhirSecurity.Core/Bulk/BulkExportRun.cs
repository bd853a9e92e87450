using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Bulk;

/// <summary>
/// An export from its status URL to files on disk: waits for the manifest, saves a redacted copy of it, downloads
/// the files in parallel (skipping those an earlier run finished, when attaching), reports the server's error files,
/// and cancels the export on the server once every file is in (or on Ctrl-C), unless told to keep it.
/// </summary>
public sealed class BulkExportRun
{
    /// <summary>The name of the manifest's redacted copy in the export's folder.</summary>
    public const string ManifestFileName = "manifest.json";

    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(250);
    private readonly ResolvedConnection _connection;
    private readonly HandlerPool _pool;
    private readonly TokenCache _tokens;
    private readonly TimeProvider _clock;
    private readonly BulkExportClient _client;

    /// <summary>Creates a run over the shared pool and token cache.</summary>
    public BulkExportRun(
        ResolvedConnection connection, HandlerPool pool, TokenCache tokens, TimeProvider clock, RetryPolicy retry)
    {
        _connection = connection;
        _pool = pool;
        _tokens = tokens;
        _clock = clock;
        _client = new BulkExportClient(connection, pool, tokens, clock, retry);
    }

    /// <summary>
    /// Runs the export at <paramref name="statusUrl"/> into <paramref name="settings"/>' folder with at most
    /// <paramref name="throttleLimit"/> downloads at once, and gives back how many files failed.
    /// <paramref name="keepJob"/> is asked when the run ends or is stopped: true leaves the export on the server
    /// (-KeepJob, or a stop for an error the caller turned terminating, to finish later with -StatusUrl).
    /// </summary>
    public async Task<int> RunAsync(
        Uri statusUrl,
        BulkDownloadSettings settings,
        int throttleLimit,
        bool skipComplete,
        Func<bool> keepJob,
        IBulkExportObserver observer,
        BulkExportLog log,
        CancellationToken cancellation)
    {
        try
        {
            return await DownloadAllAsync(statusUrl, settings, throttleLimit, skipComplete, keepJob, observer, log,
                cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            bool keep = keepJob();
            log.Write("stopped", "partial files removed; " + (keep
                ? "the export stays on the server for -StatusUrl"
                : "cancelling the export on the server"));
            if (!keep)
            {
                await CancelQuietlyAsync(statusUrl, observer, log).ConfigureAwait(false);
            }

            throw;
        }
    }

    private async Task<int> DownloadAllAsync(
        Uri statusUrl,
        BulkDownloadSettings settings,
        int throttleLimit,
        bool skipComplete,
        Func<bool> keepJob,
        IBulkExportObserver observer,
        BulkExportLog log,
        CancellationToken cancellation)
    {
        log.Write("poll", $"status {statusUrl}");
        (BulkManifest manifest, TimeSpan waited) =
            await _client.WaitForManifestAsync(statusUrl, observer, cancellation).ConfigureAwait(false);
        log.Write("manifest", $"{manifest.Files.Count} file(s), requiresAccessToken {manifest.RequiresAccessToken},"
            + $" transactionTime {manifest.TransactionTime}, after {Durations.Seconds(waited)} s");
        observer.Verbose($"The export is complete after {Durations.Seconds(waited)} s: {manifest.Files.Count} file(s),"
            + $" requiresAccessToken {manifest.RequiresAccessToken}.");
        SaveManifest(settings.Destination, manifest);

        var todo = new List<BulkManifestFile>();
        foreach (BulkManifestFile file in manifest.Files)
        {
            if (skipComplete && File.Exists(Path.Combine(settings.Destination, file.FileName)))
            {
                log.Write("skip", $"{file.FileName} complete on disk from an earlier run");
                observer.Verbose($"{file.FileName}: complete on disk from an earlier run; not downloaded again.");
                continue;
            }

            todo.Add(file);
        }

        var downloader = new BulkFileDownloader(
            _connection, manifest, _pool.GetClient(_connection.Transport), _tokens, _clock, settings, observer.Verbose);
        var progress = new DownloadProgress(todo.Count, observer, _clock);
        int failed = 0;
        var errorFiles = new List<BulkFileResult>();
        await Parallel.ForEachAsync(
            todo,
            new ParallelOptions { MaxDegreeOfParallelism = throttleLimit, CancellationToken = cancellation },
            async (file, token) =>
            {
                log.Write("download", $"{file.FileName} from {file.DisplayUrl}");
                try
                {
                    BulkFileResult result = await downloader.DownloadAsync(file, progress.Received, token)
                        .ConfigureAwait(false);
                    log.Write("file", $"{file.FileName} complete: {result.Lines} line(s), {result.Bytes} bytes,"
                        + $" {result.Attempts} attempt(s)");
                    if (file.Kind == BulkFileKind.Error)
                    {
                        lock (errorFiles)
                        {
                            errorFiles.Add(result);
                        }
                    }

                    progress.FileDone();
                    observer.FileWritten(result);
                }
                catch (FhirSecurityException ex)
                {
                    Interlocked.Increment(ref failed);
                    log.Write("failed", $"{file.FileName}: {ex.ErrorId}: {ex.Message}");
                    observer.FileFailed(ex);
                }
            }).ConfigureAwait(false);

        foreach (string warning in OperationOutcomeSummary.Warnings(errorFiles))
        {
            log.Write("server-errors", warning);
            observer.Warning(warning);
        }

        if (failed > 0)
        {
            log.Write("incomplete", $"{failed} file(s) failed; the export stays on the server for -StatusUrl");
        }
        else if (!keepJob())
        {
            await CancelQuietlyAsync(statusUrl, observer, log).ConfigureAwait(false);
        }

        log.Write("done", $"{todo.Count - failed} file(s) downloaded, {failed} failed");
        return failed;
    }

    private static void SaveManifest(string folder, BulkManifest manifest)
    {
        string path = Path.Combine(folder, ManifestFileName);
        string partial = path + BulkDownloadSettings.PartialSuffix;
        try
        {
            File.WriteAllText(partial, manifest.RedactedJson());
            File.Move(partial, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(partial);
            throw new FhirSecurityException(
                ErrorIds.BulkExportDestinationInvalid,
                FailureCategory.WriteError,
                $"The export's manifest could not be saved to {path}: {ex.Message} Check the destination's free"
                + " space and permissions, then run again with -StatusUrl.",
                path,
                ex);
        }
    }

    /// <summary>
    /// Sends DELETE to the status URL (its own short timeout, as it may run after Ctrl-C); a failure is a warning.
    /// </summary>
    private async Task CancelQuietlyAsync(Uri statusUrl, IBulkExportObserver observer, BulkExportLog log)
    {
        using var timeout = new CancellationTokenSource(CancelTimeout);
        try
        {
            await _client.CancelAsync(statusUrl, timeout.Token, observer.Verbose).ConfigureAwait(false);
            log.Write("delete", $"status {statusUrl}: the server may drop the export's files");
        }
        catch (Exception ex) when (ex is FhirSecurityException or OperationCanceledException)
        {
            string why = ex is FhirSecurityException failure ? failure.Message : "no answer in time";
            log.Write("delete-failed", why);
            observer.Warning($"The export could not be cancelled on the server (DELETE {statusUrl}): {why}");
        }
    }

    /// <summary>Counts files and bytes from every download and reports them a few times a second.</summary>
    private sealed class DownloadProgress(int files, IBulkExportObserver observer, TimeProvider clock)
    {
        private readonly long _every = (long)(ProgressEvery.TotalSeconds * clock.TimestampFrequency);
        private long _bytes;
        private int _done;
        private long _last;

        public void Received(long bytes)
        {
            long total = Interlocked.Add(ref _bytes, bytes);
            long now = clock.GetTimestamp();
            long last = Interlocked.Read(ref _last);
            if (now - last >= _every && Interlocked.CompareExchange(ref _last, now, last) == last)
            {
                observer.Downloading(Volatile.Read(ref _done), files, total);
            }
        }

        public void FileDone()
            => observer.Downloading(Interlocked.Increment(ref _done), files, Interlocked.Read(ref _bytes));
    }
}
