using System.Globalization;
using StackExchange.Redis;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// What a product costs in memory: the managed heap after a full collection (before the silos start and after the
/// backlog, so the difference is what the silos keep for the products they hold), and Redis's own <c>MEMORY USAGE</c>
/// of a sample of stored product states. The heap difference includes the silos' fixed cost (Orleans' runtime, the
/// ingest, caches); the sweep's slope between catalog sizes takes that out.
/// </summary>
internal sealed record MemoryFigures(long HeapBytes, int ActiveProducts, long BytesPerActiveProduct, double BytesPerStoredProduct, int StoredSample)
{
    /// <summary>The managed heap after a blocking, compacting full collection.</summary>
    public static long HeapAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    public static async Task<MemoryFigures> MeasureAsync(long heapBefore, int activeProducts, ConfigurationOptions redis, int sample = 200)
    {
        var heap = HeapAfterFullCollection();
        var configuration = redis.Clone();
        configuration.AllowAdmin = true;
        using var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        var server = connection.GetServers()[0];
        var database = connection.GetDatabase();

        // The product storage keeps one hash per product: "{ServiceId}/segmented/product/{id}/{state}".
        long bytes = 0;
        var measured = 0;
        foreach (var key in server.Keys(pattern: "*/segmented/product/*", pageSize: sample).Take(sample))
        {
            var usage = await database.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0");
            bytes += (long)usage;
            measured++;
        }

        return new MemoryFigures(
            heap,
            activeProducts,
            activeProducts == 0 ? 0 : (heap - heapBefore) / activeProducts,
            measured == 0 ? 0 : bytes / (double)measured,
            measured);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"memory: managed heap {HeapBytes / 1048576.0:N0} MiB after a full GC; {BytesPerActiveProduct:N0} B per active product grain (heap growth since before the silos started over {ActiveProducts:N0} activations, the silos' fixed cost included); {BytesPerStoredProduct:N0} B per stored product (Redis MEMORY USAGE, mean of {StoredSample} product states)");
}
