namespace InventoryOrleans.Bench.Soak;

/// <summary>One minute's reading of the soak: what grows with time and what must stay flat after warm-up.</summary>
internal sealed record SoakSample(
    TimeSpan Elapsed,
    long Produced,
    long Lag,
    long WorkingSetBytes,
    long HeapBytes,
    long LiveHeapBytes,
    long RedisKeys,
    long RedisUsedBytes,
    int LowNow,
    long AlertRecords,
    long WatchEvents,
    int WatchRestarts);
