namespace FhirSecurity.TestServer;

/// <summary>
/// Queue of faults keyed by path prefix. A request takes the oldest queued fault whose prefix its path starts
/// with; each fault applies to <c>count</c> requests and is then gone.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<Entry> _entries = [];

    /// <summary>Number of requests that queued faults will still hit.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _entries.Sum(e => e.Remaining);
            }
        }
    }

    /// <summary>Queues <paramref name="fault"/> for the next <paramref name="count"/> requests under <paramref name="pathPrefix"/>.</summary>
    /// <param name="pathPrefix">Path prefix such as <c>/oauth/token</c> or <c>/basic/fhir/Patient</c>; <c>/</c> matches all.</param>
    /// <param name="fault">What to do.</param>
    /// <param name="count">How many requests it hits.</param>
    public void Enqueue(string pathPrefix, Fault fault, int count = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathPrefix);
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_gate)
        {
            _entries.Add(new Entry(pathPrefix, fault, count));
        }
    }

    /// <summary>Queues an error status, e.g. 429 or 503 with <c>Retry-After</c>.</summary>
    public void EnqueueStatus(string pathPrefix, int statusCode, int count = 1, TimeSpan? retryAfter = null, TimeSpan delay = default) =>
        Enqueue(pathPrefix, Fault.Status(statusCode, retryAfter, delay), count);

    /// <summary>Drops every queued fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    internal Fault? TryTake(string path)
    {
        lock (_gate)
        {
            for (var i = 0; i < _entries.Count; i++)
            {
                var entry = _entries[i];
                if (!path.StartsWith(entry.PathPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                if (--entry.Remaining == 0)
                {
                    _entries.RemoveAt(i);
                }

                return entry.Fault;
            }

            return null;
        }
    }

    private sealed class Entry(string pathPrefix, Fault fault, int remaining)
    {
        public string PathPrefix { get; } = pathPrefix;

        public Fault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;
    }
}
