using System.Globalization;
using InventoryOrleans.Bench.Hosting;
using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace InventoryOrleans.Bench.Window;

/// <summary>
/// <c>bench -- window --stores memory,everysec,always,garnet-before,garnet</c>: the same product state write
/// (<see cref="SegmentedRedisGrainStorage"/> as the silo registers it, a full window, a batch of events applied before
/// each write) on each store, the writes alternating between the stores (the starting store rotates) so each meets the
/// machine in the same state; the first store named is the baseline.
/// </summary>
internal static class WindowStoresRun
{
    private const int WarmUpWrites = 20;
    private const int FillChunk = 1_000;

    public static async Task<int> RunAsync(IReadOnlyList<string> kinds, int writes, int perBatch, int fill)
    {
        var stores = new List<BenchStore>();
        var storages = new List<SegmentedRedisGrainStorage>();
        try
        {
            var activators = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<IActivatorProvider>();
            foreach (var kind in kinds)
            {
                var store = BenchStore.Start(kind);
                stores.Add(store);
                var storage = new SegmentedRedisGrainStorage(
                    ProductGrain.StorageName,
                    new SegmentedRedisStorageOptions { ConfigurationOptions = store.Configuration, DurabilityCommand = store.DurabilityCommand, JsonOptions = ProductStateHeadConverter.StorageOptions },
                    Options.Create(new ClusterOptions { ServiceId = "bench-window" }),
                    activators,
                    NullLogger<SegmentedRedisGrainStorage>.Instance);
                await storage.ConnectAsync(CancellationToken.None);
                storages.Add(storage);
            }

            var subjects = stores.Select((store, i) => new WindowSubject(store.Kind, storages[i], $"sku-{store.Kind}", wholeDocument: false)).ToArray();
            foreach (var subject in subjects)
            {
                // Filled a thousand entries a write, as batches would: one write carrying the whole window (a megabyte)
                // outlasts the client's timeout on a store that fsyncs it on a loaded machine.
                for (var filled = 0; filled < fill; filled += FillChunk)
                {
                    subject.Apply(Math.Min(FillChunk, fill - filled));
                    await subject.WriteAsync();
                }

                for (var i = 0; i < WarmUpWrites; i++)
                {
                    subject.Apply(perBatch);
                    await subject.WriteAsync();
                }
            }

            for (var w = 0; w < writes; w++)
            {
                for (var k = 0; k < subjects.Length; k++)
                {
                    var subject = subjects[(w + k) % subjects.Length];
                    subject.Apply(perBatch);
                    subject.Times.Add(await subject.WriteAsync());
                }
            }

            Print(stores, subjects, writes, perBatch);
            var failed = false;
            foreach (var subject in subjects)
            {
                if (await subject.CheckStoredAsync() is { } problem)
                {
                    Console.WriteLine($"  CHECK FAILED: {subject.Name}: {problem}");
                    failed = true;
                }
            }

            if (!failed)
            {
                Console.WriteLine("  read back: every store returns the whole window, equal to the one in memory");
            }

            return failed ? 1 : 0;
        }
        finally
        {
            foreach (var storage in storages)
            {
                storage.Dispose();
            }

            foreach (var store in stores)
            {
                store.Dispose();
            }
        }
    }

    private static void Print(List<BenchStore> stores, WindowSubject[] subjects, int writes, int perBatch)
    {
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"window --stores: {writes} writes per store of SegmentedRedisGrainStorage, {perBatch} events applied before each, window {subjects[0].State.Window.Count:N0} entries; writes alternating between stores; baseline {subjects[0].Name}"));
        foreach (var store in stores)
        {
            Console.WriteLine($"  {store.Kind,-14} {store.Description}");
        }

        var baseMean = subjects[0].Times.Average();
        var baseP50 = Percentile(subjects[0].Times, 0.5);
        foreach (var subject in subjects)
        {
            var mean = subject.Times.Average();
            var p50 = Percentile(subject.Times, 0.5);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {subject.Name,-14} mean {mean,7:F3} ms, p50 {p50,7:F3} ms, p99 {Percentile(subject.Times, 0.99),7:F3} ms per write; {mean / baseMean,5:F2}× the baseline's mean, {p50 / baseP50,5:F2}× its p50"));
        }
    }

    private static double Percentile(List<double> times, double share)
    {
        var sorted = times.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * share))];
    }
}
