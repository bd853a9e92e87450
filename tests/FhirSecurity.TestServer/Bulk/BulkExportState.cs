using System.Collections.Concurrent;

namespace FhirSecurity.TestServer;

/// <summary>The server's exports, the requests they got, and the signatures it handed out.</summary>
internal sealed class BulkExportState
{
    private readonly ConcurrentDictionary<string, BulkExportJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<BulkRequestRecord> _requests = new();
    private readonly ConcurrentQueue<string> _signatures = new();
    private int _deletedExports;

    public BulkExportScenario Scenario { get; } = new();

    /// <summary>The second HTTPS origin (files only); set once the server listens.</summary>
    public Uri? SecondOrigin { get; set; }

    public IReadOnlyList<BulkRequestRecord> Requests => [.. _requests];

    public IReadOnlyCollection<string> Signatures => [.. _signatures];

    public int DeletedExports => Volatile.Read(ref _deletedExports);

    public void Add(BulkExportJob job)
    {
        _jobs[job.Id] = job;
        foreach (BulkJobFile file in job.Files.Where(f => f.Signature is not null))
        {
            _signatures.Enqueue(file.Signature!);
        }
    }

    public BulkExportJob? Find(string id) => _jobs.TryGetValue(id, out BulkExportJob? job) ? job : null;

    public void Record(BulkRequestRecord record) => _requests.Enqueue(record);

    public void CountDelete() => Interlocked.Increment(ref _deletedExports);

    /// <summary>Forgets the recorded requests (not the jobs).</summary>
    public void ClearRequests() => _requests.Clear();
}
