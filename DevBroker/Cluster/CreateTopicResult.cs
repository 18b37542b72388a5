using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Cluster;

/// <summary>Outcome of creating a topic: the error to answer (None on success) with a message, and the topic.</summary>
public sealed record CreateTopicResult(ErrorCode Error, string? Message, Topic? Topic);
