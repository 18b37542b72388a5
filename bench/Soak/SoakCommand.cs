using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime;
using Confluent.Kafka;
using InventoryOrleans.Bench.Api;
using InventoryOrleans.Bench.Hosting;
using InventoryOrleans.Bench.Pipeline;
using InventoryOrleans.Grains.Interfaces;
using StackExchange.Redis;

namespace InventoryOrleans.Bench.Soak;

/// <summary>
/// <c>bench -- soak [--minutes 10] [--rate 2000] [--products 10000] [--hot 20] [--hot-share 0.3] [--watchers 200]
/// [--store memory] [--window N]</c>: one silo serving the API in this process (<see cref="ApiBenchHost"/>: DevBroker with a
/// file-backed log, a real Redis) fed <see cref="SoakStream"/> at a steady rate for many minutes, with
/// <c>watchers</c> change streams open (half of them reading slowly, most on the hot products). Once a minute it prints
/// the process's working set and managed heap, Redis's key count and memory, the products low now, the alerts written
/// and the input lag — which must stay flat after warm-up, or the run shows what grows. Not a CI test: it takes minutes
/// by design.
/// </summary>
internal static class SoakCommand
{
    public static int Run(string[] args)
    {
        var options = new BenchArguments(args);
        var settings = new SoakSettings(
            Minutes: options.Int("--minutes", 10),
            Rate: options.Int("--rate", 2_000),
            Products: options.Int("--products", 10_000),
            HotProducts: options.Int("--hot", 20),
            HotShare: double.Parse(options.Value("--hot-share") ?? "0.3", CultureInfo.InvariantCulture),
            Watchers: options.Int("--watchers", 200),
            Store: options.Value("--store") ?? "memory",
            Window: options.OptionalInt("--window"));
        RunAsync(settings).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(SoakSettings settings)
    {
        await using var backends = await BenchBackends.StartAsync("soak-bench", store: settings.Store);
        var partitions = backends.Partitions;
        var bootstrap = backends.Broker.BootstrapServers;
        // --window N: each product's de-duplication window (ProductGrain:DedupWindowSize, default 10,000 decisions), to
        // tell the memory the windows take while they fill from what would grow for good.
        var silo = settings.Window is { } window
            ? new Dictionary<string, string?> { ["ProductGrain:DedupWindowSize"] = window.ToString(CultureInfo.InvariantCulture) }
            : null;
        await using var host = await ApiBenchHost.StartAsync(bootstrap, backends.Redis.ConnectionString, silo);
        await UntilAsync(() => host.OwnedPartitions.Count == partitions, TimeSpan.FromSeconds(60), "the silo consumes every partition");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"soak: 1 silo serving the API in this process, DevBroker + {backends.Redis.Description}, {partitions} partitions, de-duplication window {settings.Window?.ToString(CultureInfo.InvariantCulture) ?? "default"}; {settings.Rate:N0} events/s for {settings.Minutes} min over {settings.Products:N0} products, {settings.HotShare:P0} of them to {settings.HotProducts} hot products (reservations expiring after 2–8 s, stock around the low-stock threshold); {settings.Watchers} change streams, half reading slowly; server GC {GCSettings.IsServerGC}, {Environment.ProcessorCount} cores"));

        using var stop = new CancellationTokenSource();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Watchers + 16 })
        {
            BaseAddress = host.RestAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var random = new Random(5);
        var watchers = Enumerable.Range(0, settings.Watchers)
            .Select(i => new StockWatcher(
                http,
                random.NextDouble() < 0.7 ? SoakStream.HotProductId(i % settings.HotProducts) : $"sku-{random.Next(settings.Products)}",
                slow: i % 2 == 1))
            .ToList();
        var watching = watchers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();

        long produced = 0;
        using var feeder = new EventFeeder(bootstrap, new SoakStream(settings.Products, settings.HotProducts, settings.HotShare))
        {
            OnProduced = (_, _) => Interlocked.Increment(ref produced),
        };
        var duration = TimeSpan.FromMinutes(settings.Minutes);
        var feeding = Task.Factory.StartNew(() => feeder.Feed(settings.Rate, duration, cancellationToken: stop.Token), TaskCreationOptions.LongRunning);

        // INFO and DBSIZE are admin commands for StackExchange.Redis.
        var redisConfiguration = backends.Redis.Configuration;
        redisConfiguration.AllowAdmin = true;
        using var redis = await ConnectionMultiplexer.ConnectAsync(redisConfiguration);
        using var offsets = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "inventory-silo", EnableAutoCommit = false })
            .SetLogHandler((_, _) => { })
            .Build();
        var inputs = Topics.Inputs.SelectMany(t => Enumerable.Range(0, partitions).Select(p => new TopicPartition(t, p))).ToList();
        var alerts = Enumerable.Range(0, partitions).Select(p => new TopicPartition(Topics.Alerts, p)).ToList();

        Console.WriteLine($"{"minute",6} {"produced",10} {"lag",8} {"RSS MiB",8} {"heap MiB",9} {"live MiB",9} {"redis keys",11} {"redis MiB",10} {"low now",8} {"alert recs",11} {"watch events",13} {"fast/slow",12} {"restarts",9}");
        var clock = Stopwatch.StartNew();
        var samples = new List<SoakSample>();
        for (var minute = 0; minute <= settings.Minutes; minute++)
        {
            await Task.Delay(TimeSpan.FromMinutes(minute) - clock.Elapsed is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
            var sample = await ReadAsync(clock.Elapsed, Interlocked.Read(ref produced), http, redis, backends.Redis.Port, offsets, inputs, alerts, watchers);
            samples.Add(sample);
            var fast = watchers.Where(w => !w.Slow).Sum(w => w.Events);
            var slow = watchers.Where(w => w.Slow).Sum(w => w.Events);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{minute,6} {sample.Produced,10:N0} {sample.Lag,8:N0} {sample.WorkingSetBytes / 1048576.0,8:N0} {sample.HeapBytes / 1048576.0,9:N0} {sample.LiveHeapBytes / 1048576.0,9:N0} {sample.RedisKeys,11:N0} {sample.RedisUsedBytes / 1048576.0,10:N1} {sample.LowNow,8:N0} {sample.AlertRecords,11:N0} {sample.WatchEvents,13:N0} {fast + "/" + slow,12} {sample.WatchRestarts,9:N0}"));
        }

        await stop.CancelAsync();
        await feeding;
        await Task.WhenAll(watching);
        Summarize(samples);
        foreach (var ended in watchers.Where(w => w.Ended is not null).GroupBy(w => (w.Slow, w.Ended)).OrderByDescending(g => g.Count()))
        {
            Console.WriteLine($"  {(ended.Key.Slow ? "slow" : "fast")} watchers whose last stream ended with \"{ended.Key.Ended}\": {ended.Count()}");
        }
    }

    // Flat after warm-up: the last minute against the second (the first minute fills caches, activations and windows).
    private static void Summarize(List<SoakSample> samples)
    {
        if (samples.Count < 3)
        {
            return;
        }

        var (early, late) = (samples[1], samples[^1]);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"minute 1 → {samples.Count - 1}: RSS {Growth(early.WorkingSetBytes, late.WorkingSetBytes)}, heap {Growth(early.HeapBytes, late.HeapBytes)}, live heap {Growth(early.LiveHeapBytes, late.LiveHeapBytes)}, redis keys {Growth(early.RedisKeys, late.RedisKeys)}, redis memory {Growth(early.RedisUsedBytes, late.RedisUsedBytes)}, low now {early.LowNow} → {late.LowNow}, lag {early.Lag:N0} → {late.Lag:N0}"));
    }

    private static string Growth(long from, long to) =>
        from == 0 ? $"{to:N0}" : string.Create(CultureInfo.InvariantCulture, $"{(to - from) * 100.0 / from:+0.0;-0.0} %");

    private static async Task<SoakSample> ReadAsync(
        TimeSpan elapsed,
        long produced,
        HttpClient http,
        ConnectionMultiplexer redis,
        int redisPort,
        IConsumer<byte[], byte[]> offsets,
        List<TopicPartition> inputs,
        List<TopicPartition> alerts,
        List<StockWatcher> watchers)
    {
        var server = redis.GetServer("127.0.0.1", redisPort);
        var keys = await server.DatabaseSizeAsync();
        var memory = (await server.InfoAsync("memory")).SelectMany(g => g).FirstOrDefault(p => p.Key == "used_memory").Value;
        var low = await http.GetFromJsonAsync<LowStockList>(new Uri("/api/low-stock", UriKind.Relative));

        var committed = offsets.Committed(inputs, TimeSpan.FromSeconds(10)).ToDictionary(c => c.TopicPartition, c => Math.Max(0, c.Offset.Value));
        var lag = inputs.Sum(p => offsets.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value - committed[p]);
        var alertRecords = alerts.Sum(p => offsets.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);

        // The heap at the last collection counts whatever the server GC has not collected yet (its gen2 collections are
        // rare with memory to spare), so it grows with the load even when nothing is kept; the live heap is what a full,
        // compacting collection leaves: what the process really retains. One forced collection a minute costs the run
        // a pause of a few tens of milliseconds.
        var heap = GC.GetGCMemoryInfo().HeapSizeBytes;
        var live = MemoryFigures.HeapAfterFullCollection();
        using var process = Process.GetCurrentProcess();
        return new SoakSample(
            elapsed,
            produced,
            lag,
            process.WorkingSet64,
            heap,
            live,
            keys,
            long.TryParse(memory, CultureInfo.InvariantCulture, out var used) ? used : 0,
            low?.Items.Count ?? -1,
            alertRecords,
            watchers.Sum(w => w.Events),
            watchers.Sum(w => w.Restarts));
    }

    private static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds:N0} s: {what}");
            }

            await Task.Delay(50);
        }
    }

    private sealed record SoakSettings(int Minutes, int Rate, int Products, int HotProducts, double HotShare, int Watchers, string Store, int? Window);

    private sealed record LowStockList(IReadOnlyList<System.Text.Json.JsonElement> Items);
}
