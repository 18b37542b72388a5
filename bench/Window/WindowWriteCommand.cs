using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InventoryOrleans.Bench.Hosting;
using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Hosting;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace InventoryOrleans.Bench.Window;

/// <summary>
/// <c>bench -- window [--writes 400] [--events 5] [--fill 10000] [--stores a,b,…]</c>: the cost of one product state write when the
/// de-duplication window is full (10,000 entries) and a batch of <c>events</c> was applied since the last write, on
/// Orleans' own Redis provider (<c>AddRedisGrainStorage</c>: the whole state as one JSON value, ETag-checked) and on
/// <see cref="Grains.Storage.SegmentedRedisGrainStorage"/> (head plus changed segments), both registered in one silo on
/// the same redis-server. Calls each provider's <see cref="IGrainStorage.WriteStateAsync{T}"/> directly, alternating
/// between them write by write; between writes the batch is applied through <see cref="ProductLedger"/> (not timed).
/// Reads both states back at the end to check each provider stored the whole window. With <c>--stores</c> the product
/// storage alone is compared across stores instead (<see cref="WindowStoresRun"/>).
/// </summary>
internal static class WindowWriteCommand
{
    private const int WindowSize = WindowSubject.WindowSize;
    private const string OrleansStorageName = "orleans-redis-json";
    private const int WarmUpWrites = 20;

    public static int Run(string[] args)
    {
        var options = new BenchArguments(args);
        var writes = options.Int("--writes", 400);
        var perBatch = options.Int("--events", 5);
        var fill = Math.Min(options.Int("--fill", WindowSize), WindowSize);
        return options.Value("--stores") is { } stores
            ? WindowStoresRun.RunAsync(BenchStore.ParseList(stores), writes, perBatch, fill).GetAwaiter().GetResult()
            : RunAsync(writes, perBatch, fill).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int writes, int perBatch, int fill)
    {
        using var redis = LocalRedis.StartServer(appendFsync: null);
        var wholeJson = new SystemTextJsonGrainStorageSerializerOptions();
        wholeJson.JsonSerializerOptions.Converters.Add(ProductStateMigration.WindowConverter);
        using var silo = await StartSiloAsync(redis, wholeJson);
        WindowSubject[] subjects =
        [
            new("Orleans' Redis provider (whole state as JSON)", silo.Services.GetRequiredKeyedService<IGrainStorage>(OrleansStorageName), "sku-orleans", wholeDocument: true),
            new("SegmentedRedisGrainStorage (head + segments)", silo.Services.GetRequiredKeyedService<IGrainStorage>(ProductGrain.StorageName), "sku-segmented", wholeDocument: false),
        ];

        // Fill each window (one write carries it all), then warm up both paths before timing.
        foreach (var subject in subjects)
        {
            subject.Apply(fill);
            await subject.WriteAsync();
            for (var i = 0; i < WarmUpWrites; i++)
            {
                subject.Apply(perBatch);
                await subject.WriteAsync();
            }
        }

        for (var w = 0; w < writes; w++)
        {
            // Alternate which provider goes first, so neither always follows the other's Redis work.
            foreach (var subject in w % 2 == 0 ? subjects : [subjects[1], subjects[0]])
            {
                subject.Apply(perBatch);
                subject.Times.Add(await subject.WriteAsync());
            }
        }

        var head = JsonSerializer.SerializeToUtf8Bytes(subjects[1].State, new JsonSerializerOptions(JsonSerializerDefaults.Web)).Length;
        var whole = JsonSerializer.SerializeToUtf8Bytes(subjects[0].State, wholeJson.JsonSerializerOptions).Length;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"window: {writes} writes per provider, {perBatch} events applied before each, window {subjects[0].State.Window.Count:N0} entries (max {WindowSize:N0}); one redis-server, provider calls alternating"));
        foreach (var subject in subjects)
        {
            var times = subject.Times.Order().ToArray();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {subject.Name,-48} mean {times.Average(),7:F3} ms, p50 {times[times.Length / 2],7:F3} ms, p99 {times[(int)(times.Length * 0.99)],7:F3} ms per write"));
        }

        var ratio = subjects[0].Times.Average() / subjects[1].Times.Average();
        var medianRatio = subjects[0].Times.Order().ElementAt(writes / 2) / subjects[1].Times.Order().ElementAt(writes / 2);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  Orleans' provider / segmented: {ratio:F1}× (mean), {medianRatio:F1}× (p50), {(ratio <= 3 ? "within" : "beyond")} the 3× that would favour Orleans' provider; state JSON per write {whole / 1024.0:N0} KiB vs head {head / 1024.0:N1} KiB (+ a sealed segment every {SeenEventWindow.DefaultSegmentSize / (double)perBatch:N0} writes)"));

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
            Console.WriteLine("  read back: both providers return the whole window, equal to the one in memory");
        }

        await silo.StopAsync();
        return failed ? 1 : 0;
    }

    // One silo holding both providers, as a silo would: Orleans' with a System.Text.Json serializer that writes the whole
    // window, and the product storage exactly as AddInventoryGrains registers it.
    private static async Task<IHost> StartSiloAsync(LocalRedis redis, SystemTextJsonGrainStorageSerializerOptions wholeJson)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);

        // The benchmark prints the GC mode itself; the watchdog's first check after start reports a bogus stall.
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error).AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ProductGrain:DedupWindowSize"] = WindowSize.ToString(CultureInfo.InvariantCulture) });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePort.Next(), gatewayPort: FreePort.Next());
            silo.AddInventoryGrains(builder.Configuration, redis.Configuration);
            silo.AddRedisGrainStorage(OrleansStorageName, o =>
            {
                o.ConfigurationOptions = redis.Configuration;
                o.GrainStorageSerializer = new SystemTextJsonGrainStorageSerializer(Options.Create(wholeJson));
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
