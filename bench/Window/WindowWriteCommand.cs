using System.Diagnostics;
using System.Globalization;
using InventoryOrleans.Bench.Pipeline;
using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Bench.Window;

/// <summary>
/// <c>bench -- window [batches] [eventsPerBatch] [fill]</c>: the cost of one <c>ApplyBatchAsync</c> (rules + ETag-checked
/// state write) for products whose de-duplication window holds <c>fill</c> entries (default 10,000: full), on SQLite and
/// on a local redis-server, and of reactivating such a product.
/// </summary>
internal static class WindowWriteCommand
{
    private const int WindowSize = 10_000;
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static int Run(string[] args)
    {
        var batches = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
        var perBatch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var fill = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : WindowSize;
        var path = Path.Combine(Path.GetTempPath(), $"window-bench-{Guid.NewGuid():N}.db");
        try
        {
            RunAsync("sqlite", s => s.AddSqliteGrainStorage(path), batches, perBatch, fill).GetAwaiter().GetResult();
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }

        using var redis = LocalRedis.Start();
        RunAsync("redis", s => s.AddRedisGrainStorage(redis.ConnectionString), batches, perBatch, fill).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(string name, Action<IServiceCollection> storage, int batches, int perBatch, int fill)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        storage(services);
        services.AddGrainRuntime();
        services.AddInventoryGrains();
        services.Configure<ProductGrainOptions>(o => o.DedupWindowSize = WindowSize);
        await using var provider = services.BuildServiceProvider();
        var runtime = provider.GetRequiredService<GrainRuntime>();
        await runtime.StartAsync(CancellationToken.None);
        try
        {
            const int products = 8;
            var next = 0;
            for (var p = 0; p < products; p++)
            {
                var grain = runtime.GetGrain<IProductGrain>($"sku-{p}");
                for (var i = 0; i < fill; i += 500)
                {
                    await grain.ApplyBatchAsync(Batch($"sku-{p}", ref next, Math.Min(500, fill - i)));
                }
            }

            var times = new double[batches];
            var total = Stopwatch.StartNew();
            for (var b = 0; b < batches; b++)
            {
                var product = $"sku-{b % products}";
                var batch = Batch(product, ref next, perBatch);
                var started = Stopwatch.GetTimestamp();
                await runtime.GetGrain<IProductGrain>(product).ApplyBatchAsync(batch);
                times[b] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            total.Stop();

            // Activation reads the whole window back (head plus every segment): the price of segmenting it.
            await runtime.DeactivateAsync(static (_, _) => true);
            var reactivation = Stopwatch.StartNew();
            for (var p = 0; p < products; p++)
            {
                await runtime.GetGrain<IProductGrain>($"sku-{p}").GetStockAsync();
            }

            reactivation.Stop();
            Array.Sort(times);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{name}: {batches} batches of {perBatch} events on windows of {fill} entries (max {WindowSize}): mean {times.Average():F3} ms, p50 {times[batches / 2]:F3} ms, p99 {times[(int)(batches * 0.99)]:F3} ms, {batches / total.Elapsed.TotalSeconds:F0} batches/s; reactivation {reactivation.Elapsed.TotalMilliseconds / products:F1} ms per product"));
        }
        finally
        {
            await runtime.StopAsync(CancellationToken.None);
        }
    }

    private static PositionedEvent[] Batch(string productId, ref int next, int count)
    {
        var batch = new PositionedEvent[count];
        for (var i = 0; i < count; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"evt-{next++:D10}-{productId}");
            batch[i] = new PositionedEvent(new InventoryEvent(id, InventoryEventType.Receipt, productId, 1, T0, "default", null, null), null);
        }

        return batch;
    }
}
