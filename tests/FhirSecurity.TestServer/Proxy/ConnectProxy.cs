using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FhirSecurity.TestServer;

/// <summary>
/// A small HTTP CONNECT proxy on 127.0.0.1 for tests: it accepts <c>CONNECT host:port</c>, optionally demands
/// <c>Proxy-Authorization: Basic</c> (407 with a Basic challenge when missing or wrong), counts tunnels per target
/// and records whether credentials came, then pipes bytes both ways. Anything but CONNECT gets 405.
/// </summary>
public sealed class ConnectProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _tunnels = new(StringComparer.OrdinalIgnoreCase);
    private readonly string? _expectedAuthorization;
    private readonly Task _accepting;
    private int _refused;
    private int _requests;
    private volatile bool _credentialsSeen;

    /// <summary>Starts a proxy; with <paramref name="userName"/> it requires those Basic credentials.</summary>
    public ConnectProxy(string? userName = null, string? password = null)
    {
        if (userName is not null)
        {
            _expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{userName}:{password}"));
        }

        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptLoopAsync();
    }

    /// <summary>The proxy URL, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Uri { get; }

    /// <summary>CONNECT requests received (accepted or not).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>CONNECT requests answered 407.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>True once any CONNECT carried a Proxy-Authorization header.</summary>
    public bool CredentialsSeen => _credentialsSeen;

    /// <summary>Tunnels opened to <paramref name="authority"/> ("host:port").</summary>
    public int TunnelsTo(string authority) => _tunnels.TryGetValue(authority, out int count) ? count : 0;

    /// <summary>Tunnels opened to any target.</summary>
    public int TotalTunnels => _tunnels.Values.Sum();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                while (true)
                {
                    List<string>? head = await ReadHeadAsync(stream);
                    if (head is null || head.Count == 0)
                    {
                        return;
                    }

                    Interlocked.Increment(ref _requests);
                    string[] requestLine = head[0].Split(' ');
                    if (requestLine.Length < 3 || requestLine[0] != "CONNECT")
                    {
                        await WriteAsync(stream, "HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
                        return;
                    }

                    string? authorization = head.Skip(1)
                        .Where(h => h.StartsWith("Proxy-Authorization:", StringComparison.OrdinalIgnoreCase))
                        .Select(h => h["Proxy-Authorization:".Length..].Trim())
                        .FirstOrDefault();
                    if (authorization is not null)
                    {
                        _credentialsSeen = true;
                    }

                    if (_expectedAuthorization is not null && !string.Equals(authorization, _expectedAuthorization, StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _refused);
                        // Keep-alive after a 407, as real proxies do: the client may retry on the same connection.
                        await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test-proxy\"\r\nContent-Length: 0\r\n\r\n");
                        continue;
                    }

                    string target = requestLine[1];
                    int colon = target.LastIndexOf(':');
                    using var upstream = new TcpClient();
                    try
                    {
                        await upstream.ConnectAsync(target[..colon].Trim('[', ']'), int.Parse(target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), _stop.Token);
                    }
                    catch (Exception ex) when (ex is SocketException or FormatException or ArgumentException)
                    {
                        await WriteAsync(stream, "HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
                        return;
                    }

                    _tunnels.AddOrUpdate(target, 1, (_, n) => n + 1);
                    await WriteAsync(stream, "HTTP/1.1 200 Connection Established\r\n\r\n");
                    NetworkStream server = upstream.GetStream();
                    Task up = PipeAsync(stream, server);
                    Task down = PipeAsync(server, stream);
                    await Task.WhenAny(up, down);
                    return;
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // A client or server that went away: the tunnel is over.
            }
        }
    }

    private async Task PipeAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    // Reads the request line and headers byte by byte, so nothing after the blank line (TLS) is consumed.
    private static async Task<List<string>?> ReadHeadAsync(NetworkStream stream)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (true)
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return null;
            }

            if (buffer[0] == '\n')
            {
                string text = line.ToString().TrimEnd('\r');
                line.Clear();
                if (text.Length == 0)
                {
                    return lines;
                }

                lines.Add(text);
                if (lines.Count > 100)
                {
                    return null;
                }
            }
            else
            {
                line.Append((char)buffer[0]);
            }
        }
    }

    private static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
