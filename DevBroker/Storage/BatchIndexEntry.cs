namespace InventoryOrleans.DevBroker.Storage;

/// <summary>Where one stored batch lives in its segment, and what it covers.</summary>
internal readonly record struct BatchIndexEntry(long BaseOffset, long LastOffset, long Position, int Size, long MaxTimestamp);
