using System.Net;
using System.Net.Sockets;

namespace FhirSecurity.Core.Diagnostics;

/// <summary>
/// The one place a connection test opens a TCP connection: to the first address that accepts (the server's, or the
/// proxy's, through which <see cref="ProxyTunnel"/> then opens a tunnel); the TLS step runs over that stream.
/// </summary>
internal static class ServerConnector
{
    /// <summary>
    /// Connects to <paramref name="port"/> on each address in turn until one accepts. Throws <see cref="IOException"/>
    /// naming every address tried when none does.
    /// </summary>
    public static async Task<ServerStream> ConnectAsync(
        IReadOnlyList<IPAddress> addresses,
        int port,
        CancellationToken cancellation)
    {
        var failures = new List<string>();
        foreach (IPAddress address in addresses)
        {
            var endPoint = new IPEndPoint(address, port);
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endPoint, cancellation).ConfigureAwait(false);
                return new ServerStream(new NetworkStream(socket, ownsSocket: true), endPoint.ToString());
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                failures.Add($"{endPoint}: {ex.Message}");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new IOException(string.Join("; ", failures));
    }
}

/// <summary>An open stream to the server and the address it goes to.</summary>
/// <param name="Stream">The stream; disposing it closes the connection.</param>
/// <param name="RemoteEndPoint">The address and port connected to.</param>
internal sealed record ServerStream(Stream Stream, string RemoteEndPoint) : IAsyncDisposable
{
    /// <inheritdoc />
    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
