using System.Net;
using System.Net.Sockets;

namespace InventoryOrleans.TestSupport;

/// <summary>Finds a free loopback TCP port for a server the test starts itself.</summary>
public static class FreePort
{
    // The kernel may hand the port it just released out again to the next bind to port 0: two calls in a row once gave
    // one host the same port for REST and gRPC. A port is handed out at most once per test process.
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        while (true)
        {
            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }

            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
