using System.Collections.Concurrent;

namespace FhirSecurity.TestServer;

/// <summary>Thread-safe counts of what the server saw, for tests to assert on. <see cref="Reset"/> zeroes them all.</summary>
public sealed class ServerCounters
{
    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);
    private long _connectionsAccepted;
    private long _tlsHandshakes;
    private long _tokenRequests;
    private long _tokenRequestsSucceeded;
    private long _creates;
    private long _withAuthorization;

    /// <summary>TCP connections accepted (whether or not TLS then succeeded).</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    /// <summary>
    /// TLS handshakes the server saw complete. A client that rejects the server certificate may or may not count
    /// here (clients often validate after the last handshake message, racing the server); it never gets a request through.
    /// </summary>
    public long TlsHandshakes => Interlocked.Read(ref _tlsHandshakes);

    /// <summary>Requests to the token endpoint, including failed and fault-injected ones.</summary>
    public long TokenRequests => Interlocked.Read(ref _tokenRequests);

    /// <summary>Token requests that issued a token.</summary>
    public long TokenRequestsSucceeded => Interlocked.Read(ref _tokenRequestsSucceeded);

    /// <summary>Resources created (POST, and PUT that created).</summary>
    public long Creates => Interlocked.Read(ref _creates);

    /// <summary>Requests (to any path, the token endpoint included) that carried an <c>Authorization</c> header.</summary>
    public long RequestsWithAuthorization => Interlocked.Read(ref _withAuthorization);

    /// <summary>All HTTP requests.</summary>
    public long TotalRequests => _requests.Values.Sum();

    /// <summary>Requests with this method and exact path (no query), e.g. <c>("GET", "/basic/fhir/Patient")</c>.</summary>
    public long RequestCount(string method, string path) => _requests.GetValueOrDefault(Key(method, path));

    /// <summary>A snapshot of request counts keyed <c>"METHOD /path"</c>.</summary>
    public IReadOnlyDictionary<string, long> RequestsByRoute => new Dictionary<string, long>(_requests, StringComparer.Ordinal);

    /// <summary>Sets every counter to zero.</summary>
    public void Reset()
    {
        _requests.Clear();
        Interlocked.Exchange(ref _connectionsAccepted, 0);
        Interlocked.Exchange(ref _tlsHandshakes, 0);
        Interlocked.Exchange(ref _tokenRequests, 0);
        Interlocked.Exchange(ref _tokenRequestsSucceeded, 0);
        Interlocked.Exchange(ref _creates, 0);
        Interlocked.Exchange(ref _withAuthorization, 0);
    }

    internal void CountRequest(string method, string path) => _requests.AddOrUpdate(Key(method, path), 1, static (_, n) => n + 1);

    internal void CountConnection() => Interlocked.Increment(ref _connectionsAccepted);

    internal void CountTlsHandshake() => Interlocked.Increment(ref _tlsHandshakes);

    internal void CountTokenRequest() => Interlocked.Increment(ref _tokenRequests);

    internal void CountTokenIssued() => Interlocked.Increment(ref _tokenRequestsSucceeded);

    internal void CountAuthorization() => Interlocked.Increment(ref _withAuthorization);

    internal void CountCreate() => Interlocked.Increment(ref _creates);

    private static string Key(string method, string path) => method.ToUpperInvariant() + " " + path;
}
