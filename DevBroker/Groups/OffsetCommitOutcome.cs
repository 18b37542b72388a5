using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Groups;

/// <summary>The result for one partition of an OffsetCommit request.</summary>
public sealed record OffsetCommitOutcome(string Topic, int Partition, ErrorCode Error);
