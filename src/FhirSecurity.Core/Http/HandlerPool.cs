using System.Collections.Concurrent;
using System.Net;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Core.Http;

/// <summary>
/// One pooled <see cref="SocketsHttpHandler"/> per TLS policy (validation mode, CA bundle, minimum TLS version,
/// revocation mode, client certificate, proxy and its credentials) for the whole process, so keep-alive connections
/// and TLS sessions are reused across calls, connections and runspaces that validate the same way. Redirects are
/// not followed by the handler: the module decides where credentials may go.
/// </summary>
public sealed class HandlerPool
{
    private readonly ConcurrentDictionary<string, Lazy<PooledClient>> _clients = new(StringComparer.Ordinal);

    /// <summary>The pool the cmdlets use.</summary>
    public static HandlerPool Shared { get; } = new();

    /// <summary>How many distinct handlers exist (for tests and diagnostics).</summary>
    public int Count => _clients.Count;

    /// <summary>
    /// The client for a policy, created on first use and then shared, with the policy instance its handler
    /// validates with (the one that knows why a certificate was refused).
    /// </summary>
    public PooledClient GetClient(TransportPolicy policy)
        => _clients.GetOrAdd(
            policy.Fingerprint,
            _ => new Lazy<PooledClient>(() => new PooledClient(Create(policy), policy))).Value;

    private static HttpClient Create(TransportPolicy policy)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            // Re-resolve DNS and pick up rotated server certificates now and then, but keep connections warm.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            UseCookies = false,
        };
        policy.Configure(handler.SslOptions);

        switch (policy.Proxy.Mode)
        {
            case ProxyMode.None:
                handler.UseProxy = false;
                break;
            case ProxyMode.Explicit:
                handler.UseProxy = true;
                handler.Proxy = policy.Proxy.ToWebProxy();
                break;
            default:
                // Proxy null: HttpClient.DefaultProxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY; system settings on Windows).
                handler.UseProxy = true;
                break;
        }

        // Timeouts are per request (the connection's TimeoutSec), enforced with cancellation.
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }
}

/// <summary>A pooled client and the transport policy its handler was built from.</summary>
/// <param name="Http">The client.</param>
/// <param name="Transport">The policy.</param>
public sealed record PooledClient(HttpClient Http, TransportPolicy Transport);
