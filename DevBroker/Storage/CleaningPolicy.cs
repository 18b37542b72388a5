namespace InventoryOrleans.DevBroker.Storage;

/// <summary>A compacted topic's cleaning settings: delete.retention.ms (how long tombstones and transaction markers stay
/// once cleaned) and min.compaction.lag.ms (how young a segment's newest record may be for the segment to be cleaned).</summary>
internal readonly record struct CleaningPolicy(long DeleteRetentionMs, long MinCompactionLagMs);
