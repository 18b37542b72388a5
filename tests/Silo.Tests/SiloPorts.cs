using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Silo.Tests;

/// <summary>
/// Every port one silo process listens on: HTTP, the co-hosted API's gRPC, Orleans silo-to-silo and gateway, and
/// (embedded default) the DevBroker, its schema registry and Garnet. Free when picked, all different, so parallel runs of other engineers
/// never collide.
/// </summary>
public sealed record SiloPorts(int Http, int Silo, int Gateway, int Broker, int Garnet, int Grpc, int Registry)
{
    public static SiloPorts Free()
    {
        var ports = new HashSet<int>();
        while (ports.Count < 7)
        {
            ports.Add(FreePort.Next());
        }

        var p = ports.ToArray();
        return new SiloPorts(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    }
}
