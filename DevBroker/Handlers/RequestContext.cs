using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Server;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>One request as a handler sees it: its header, a reader over its body, the connection, the broker's services.</summary>
public sealed class RequestContext(RequestHeader header, KafkaReader body, ConnectionInfo connection, BrokerServices services)
{
    public RequestHeader Header { get; } = header;

    /// <summary>The request's API version (shortcut for <c>Header.ApiVersion</c>).</summary>
    public short Version => Header.ApiVersion;

    public KafkaReader Body { get; } = body;

    public ConnectionInfo Connection { get; } = connection;

    public BrokerServices Services { get; } = services;
}
