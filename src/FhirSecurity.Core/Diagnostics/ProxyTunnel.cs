using System.Globalization;
using System.Net;
using System.Text;
using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Core.Diagnostics;

/// <summary>
/// Opens an HTTP CONNECT tunnel (RFC 9110 9.3.6) through a proxy for a connection test, so the TLS step shakes hands
/// with the server over the same path the request path's handler takes. The request path itself never uses this:
/// <see cref="SocketsHttpHandler"/> tunnels on its own; a test needs the raw stream to time and describe each step,
/// which no framework API hands out.
/// </summary>
internal static class ProxyTunnel
{
    // A CONNECT answer is a status line and a few headers; anything longer is not a proxy speaking HTTP.
    private const int MaxHeaderBytes = 16 * 1024;

    /// <summary>
    /// Asks the proxy on <paramref name="stream"/> for a tunnel to <paramref name="host"/>:<paramref name="port"/>,
    /// with Basic credentials from <paramref name="proxy"/> when it has them. Returns when the proxy answered 2xx; the
    /// stream then carries the tunnel. Throws <see cref="IOException"/> saying what the proxy answered otherwise.
    /// </summary>
    public static async Task OpenAsync(
        Stream stream,
        string host,
        int port,
        ProxySettings proxy,
        CancellationToken cancellation)
    {
        string authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
        var request = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
        if (proxy.Mode == ProxyMode.Explicit && proxy.UserName is { } user)
        {
            string pair = user + ":" + (proxy.Password?.Reveal() ?? string.Empty);
            request.Append("Proxy-Authorization: Basic ")
                .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)))
                .Append("\r\n");
        }

        byte[] bytes = Encoding.ASCII.GetBytes(request.Append("\r\n").ToString());
        await stream.WriteAsync(bytes, cancellation).ConfigureAwait(false);
        await stream.FlushAsync(cancellation).ConfigureAwait(false);

        string statusLine = await ReadHeaderAsync(stream, cancellation).ConfigureAwait(false);
        string[] parts = statusLine.Split(' ', 3);
        if (parts.Length < 2
            || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
        {
            throw new IOException($"the proxy did not answer CONNECT with HTTP (it sent '{Printable(statusLine)}')");
        }

        if (status is < 200 or > 299)
        {
            string reason = parts.Length > 2 ? " " + Printable(parts[2]) : string.Empty;
            string advice = status == (int)HttpStatusCode.ProxyAuthenticationRequired
                ? proxy.UserName is null
                    ? ": it wants credentials (Set-FhirConnection -ProxyCredential)"
                    : ": it refused the proxy credentials (Set-FhirConnection -ProxyCredential)"
                : string.Empty;
            throw new IOException($"the proxy refused the tunnel to {authority} with HTTP {status}{reason}{advice}");
        }
    }

    // Reads byte by byte up to the blank line that ends the answer's header, so not one byte of the tunnel is consumed.
    private static async Task<string> ReadHeaderAsync(Stream stream, CancellationToken cancellation)
    {
        var header = new List<byte>(256);
        byte[] one = new byte[1];
        while (header.Count < MaxHeaderBytes)
        {
            if (await stream.ReadAsync(one, cancellation).ConfigureAwait(false) == 0)
            {
                throw new IOException("the proxy closed the connection before answering CONNECT");
            }

            header.Add(one[0]);
            int n = header.Count;
            if (n >= 4
                && header[n - 4] == '\r'
                && header[n - 3] == '\n'
                && header[n - 2] == '\r'
                && header[n - 1] == '\n')
            {
                string text = Encoding.ASCII.GetString(header.ToArray());
                return text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
            }
        }

        throw new IOException("the proxy's answer to CONNECT is not HTTP (no end of header)");
    }

    private static string Printable(string text)
        => new(text.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
