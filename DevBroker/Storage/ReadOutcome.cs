using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Storage;

/// <summary>Result of reading batches for a Fetch: how many record bytes were written, and the partition's bounds.</summary>
internal readonly record struct ReadOutcome(ErrorCode Error, int BytesWritten, long HighWatermark, long LogStartOffset);
