using System.Net;
using System.Net.Sockets;

namespace FhirSecurity.TestServer;

/// <summary>Loopback ports for tests that need a connection refused ("no identity endpoint here").</summary>
public static class LoopbackPorts
{
    /// <summary>A 127.0.0.1 port nothing listens on: bound once by the system, then released.</summary>
    public static int Closed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
