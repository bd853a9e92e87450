namespace FhirSecurity.TestServer;

/// <summary>One kicked-off export: what its manifest will say, and how many polls it still answers 202.</summary>
internal sealed class BulkExportJob(
    string id,
    string request,
    DateTimeOffset transactionTime,
    IReadOnlyList<BulkJobFile> files,
    bool requiresAccessToken,
    int pollsBeforeReady,
    bool fails)
{
    private int _pollsLeft = pollsBeforeReady;
    private volatile bool _deleted;

    public string Id { get; } = id;

    /// <summary>The kick-off URL as received.</summary>
    public string Request { get; } = request;

    public DateTimeOffset TransactionTime { get; } = transactionTime;

    public IReadOnlyList<BulkJobFile> Files { get; } = files;

    public bool RequiresAccessToken { get; } = requiresAccessToken;

    public bool Fails { get; } = fails;

    public bool Deleted => _deleted;

    /// <summary>True while the export is "still running": counts one poll down.</summary>
    public bool TakePoll() => BulkExportScenario.TakeOne(ref _pollsLeft);

    public void Delete() => _deleted = true;
}

/// <summary>A file of a job: its spec, its number in the job, its URL and signature (or null).</summary>
internal sealed record BulkJobFile(BulkFileSpec Spec, int Number, Uri Url, string? Signature);
