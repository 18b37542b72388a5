namespace InventoryOrleans.DevBroker.Groups;

/// <summary>One partition's offset in an OffsetCommit request.</summary>
public sealed record OffsetCommitEntry(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata);
