namespace InventoryOrleans.DevBroker.Storage;

/// <summary>A producer's aborted transaction on one partition: its batches from <see cref="FirstOffset"/> up to its
/// ABORT marker at <see cref="LastOffset"/> are invisible to read_committed readers (and may be dropped by a cleaner).</summary>
internal readonly record struct AbortedTransaction(long ProducerId, long FirstOffset, long LastOffset);
