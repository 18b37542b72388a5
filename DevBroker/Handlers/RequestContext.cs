using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Server;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>One request as a handler sees it: its header, a reader over its body, the connection, the broker's services.</summary>
public sealed class RequestContext(RequestHeader header, bool isFlexible, KafkaReader body, ConnectionInfo connection, BrokerServices services)
{
    public RequestHeader Header { get; } = header;

    /// <summary>The request's API version (shortcut for <c>Header.ApiVersion</c>).</summary>
    public short Version => Header.ApiVersion;

    /// <summary>True when the version is flexible: compact strings and arrays, tagged fields after every struct.</summary>
    public bool IsFlexible { get; } = isFlexible;

    public KafkaReader Body { get; } = body;

    public ConnectionInfo Connection { get; } = connection;

    public BrokerServices Services { get; } = services;
}
