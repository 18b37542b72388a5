using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Storage;

/// <summary>Result of appending a produce's batches to a partition: the base offset (the original one for a duplicate).</summary>
internal readonly record struct AppendOutcome(ErrorCode Error, long BaseOffset, long LogStartOffset);
