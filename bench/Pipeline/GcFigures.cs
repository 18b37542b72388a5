using System.Globalization;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>The process's garbage collections and allocation at one moment; the difference of two shows a phase's GC cost.</summary>
internal readonly record struct GcFigures(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long Allocated)
{
    public static GcFigures Now() => new(
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        GC.GetTotalPauseDuration(),
        GC.GetTotalAllocatedBytes());

    public string Since(GcFigures before, int events) => string.Create(
        CultureInfo.InvariantCulture,
        $"GC: {Gen0 - before.Gen0} gen0, {Gen1 - before.Gen1} gen1, {Gen2 - before.Gen2} gen2, paused {(Paused - before.Paused).TotalMilliseconds:N0} ms, allocated {(Allocated - before.Allocated) / (double)events:N0} B/event ({GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:N0} MiB heap, server GC {System.Runtime.GCSettings.IsServerGC})");
}
