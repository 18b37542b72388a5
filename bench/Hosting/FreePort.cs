using System.Net;
using System.Net.Sockets;

namespace InventoryOrleans.Bench.Hosting;

/// <summary>A TCP port nobody listens on right now, for the benchmark's own servers and silos (other runs may hold the fixed defaults).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
