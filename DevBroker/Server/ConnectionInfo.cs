using System.Net;

namespace InventoryOrleans.DevBroker.Server;

/// <summary>Identity of a client connection (group members report its host as their client host).</summary>
public sealed record ConnectionInfo(long Id, EndPoint? RemoteEndPoint)
{
    /// <summary>The client's host as Kafka reports it ("/127.0.0.1").</summary>
    public string ClientHost => RemoteEndPoint is IPEndPoint ip ? "/" + ip.Address : "/unknown";
}
