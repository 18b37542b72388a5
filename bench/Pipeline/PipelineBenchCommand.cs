using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using InventoryOrleans.DevBroker;
using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Options;
using InventoryOrleans.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// <c>bench -- pipeline [--events 300000] [--products 10000] [--rate 10000] [--duration 20] [--parallel 256] [--fetch-wait 20] [--window N]</c>: DevBroker + Redis +
/// one silo + the feeder in one process. Measures (1) a passthrough baseline over a backlog (consume → produce →
/// commit, no grains, no storage), (2) the silo's sustained events/s over the same backlog, (3) latency from
/// produce to the net-stock record at a fixed rate.
/// </summary>
public static class PipelineBenchCommand
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public static int Run(string[] args)
    {
        RunAsync(args).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(string[] args)
    {
        string? Value(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        var events = int.Parse(Value("--events") ?? "300000", CultureInfo.InvariantCulture);
        var products = int.Parse(Value("--products") ?? "10000", CultureInfo.InvariantCulture);
        var rate = int.Parse(Value("--rate") ?? "10000", CultureInfo.InvariantCulture);
        var duration = int.Parse(Value("--duration") ?? "20", CultureInfo.InvariantCulture);
        var parallel = int.Parse(Value("--parallel") ?? "256", CultureInfo.InvariantCulture);
        var fetchWait = int.Parse(Value("--fetch-wait") ?? "20", CultureInfo.InvariantCulture);
        var window = Value("--window") is { } w ? int.Parse(w, CultureInfo.InvariantCulture) : (int?)null;


        // A file-backed log, as the embedded silo runs it: an in-memory log would hold every record of the run on the
        // managed heap this process shares with the silo, and bill the silo for collecting a broker's data.
        var logDir = Path.Combine(Path.GetTempPath(), $"pipeline-bench-{Guid.NewGuid():N}");
        try
        {
            await RunAsync(logDir, events, products, rate, duration, parallel, fetchWait, window);
        }
        finally
        {
            if (Directory.Exists(logDir))
            {
                Directory.Delete(logDir, recursive: true);
            }
        }
    }

    private static async Task RunAsync(string logDir, int events, int products, int rate, int duration, int parallel, int fetchWait, int? window)
    {
        await using var broker = await DevBrokerServer.StartAsync(new DevBrokerOptions { Port = 0, DataDir = logDir });
        using var redis = LocalRedis.Start();
        var kafka = new KafkaOptions { BootstrapServers = broker.BootstrapServers };
        await new TopicBootstrapper(Microsoft.Extensions.Options.Options.Create(kafka), TimeProvider.System, NullLogger<TopicBootstrapper>.Instance)
            .EnsureTopicsAsync(CancellationToken.None);

        var generator = new StreamGenerator(products, duplicateShare: 0.02, lateSnapshotShare: 0.05);
        using (var feeder = new EventFeeder(broker.BootstrapServers, generator))
        {
            var fed = Stopwatch.StartNew();
            feeder.Feed(rate: 0, TimeSpan.FromMinutes(10), events);
            Console.WriteLine($"backlog: {events:N0} events for {products:N0} products produced in {fed.Elapsed.TotalSeconds:N1} s");
        }

        var passthrough = PassthroughBaseline.Run(broker.BootstrapServers, events);
        var passthroughRate = events / passthrough.TotalSeconds;
        Console.WriteLine($"passthrough (consume → produce → commit): {passthroughRate,10:N0} events/s");

        using var silo = BuildSilo(broker.BootstrapServers, redis.ConnectionString, parallel, fetchWait, window);

        // Connect to Redis before timing: the first storage call opens the connection.
        await silo.Services.GetRequiredService<IGrainStorage>().ReadAsync("Bench", "warm-up", "state");
        await silo.StartAsync();
        var metrics = silo.Services.GetRequiredService<IngestMetrics>();
        while (metrics.Snapshot().EventsConsumed == 0)
        {
            await Task.Delay(1);
        }

        var gcBefore = GcFigures.Now();
        var clock = Stopwatch.StartNew();
        while (metrics.Snapshot().OutcomesByStatus.Values.Sum() < events)
        {
            await Task.Delay(5);
        }

        var pipelineRate = events / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  {GcFigures.Now().Since(gcBefore, events)}");
        Console.WriteLine($"  time by stage: {FormatStages(metrics.Snapshot().TimeByStage, s => s.TotalSeconds, "s")} over {metrics.Snapshot().Batches:N0} batches");
        Console.WriteLine($"pipeline (grains + Redis, 1 silo):        {pipelineRate,10:N0} events/s  ({pipelineRate / passthroughRate:P0} of passthrough)");

        var before = metrics.Snapshot();
        var (p50, p99, samples) = MeasureLatency(broker.BootstrapServers, generator, rate, TimeSpan.FromSeconds(duration));
        var after = metrics.Snapshot();
        var batches = after.Batches - before.Batches;
        var perBatch = after.TimeByStage.ToDictionary(p => p.Key, p => (p.Value - before.TimeByStage[p.Key]) / Math.Max(1, batches));
        Console.WriteLine($"  streaming: {batches:N0} batches of {(after.EventsConsumed - before.EventsConsumed) / (double)Math.Max(1, batches):N0} events; per batch {FormatStages(perBatch, s => s.TotalMilliseconds, "ms")}");
        Console.WriteLine($"latency produce → net-stock at {rate:N0} events/s for {duration} s: p50 {p50:N1} ms, p99 {p99:N1} ms ({samples:N0} samples)");
        await silo.StopAsync();
    }

    private static string FormatStages(IReadOnlyDictionary<IngestStage, TimeSpan> stages, Func<TimeSpan, double> unit, string suffix) =>
        string.Join(", ", stages.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key.ToString().ToLowerInvariant()} {unit(p.Value):N2} {suffix}")));

    private static IHost BuildSilo(string bootstrap, string redis, int parallel, int fetchWait, int? window)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGrainRuntime();
        builder.Services.AddInventoryGrains();
        if (window is { } size)
        {
            builder.Services.Configure<ProductGrainOptions>(o => o.DedupWindowSize = size);
        }

        builder.Services.AddRedisGrainStorage(redis);
        builder.Services.AddInventoryIngestServices();
        builder.Services.Configure<KafkaOptions>(o =>
        {
            o.BootstrapServers = bootstrap;
            o.MaxParallelProducts = parallel;
            o.FetchWaitMaxMs = fetchWait;
        });
        return builder.Build();
    }

    // The net-stock record names the last event it includes: its latency is that event's produce → record time.
    private static (double P50, double P99, int Samples) MeasureLatency(string bootstrap, StreamGenerator generator, int rate, TimeSpan duration)
    {
        var produced = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<(long At, double Ms)>();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-latency",
            EnableAutoCommit = false,
            FetchWaitMaxMs = 5,
        }).SetLogHandler((_, _) => { }).Build();
        var partitions = Enumerable.Range(0, 12).Select(p => new TopicPartition(Topics.NetStock, p)).ToList();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.End)));
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(50));
                if (record is null)
                {
                    continue;
                }

                var now = Stopwatch.GetTimestamp();
                using var json = JsonDocument.Parse(record.Message.Value);
                if (json.RootElement.GetProperty("lastEventId").GetString() is { } eventId && produced.TryRemove(eventId, out var at))
                {
                    latencies.Add((at, Stopwatch.GetElapsedTime(at, now).TotalMilliseconds));
                }
            }
        });

        // Let the consumer reach the end before timing starts; the first seconds of feeding activate grains not
        // seen in the backlog (a storage read each) and are left out as warm-up.
        Thread.Sleep(1_000);
        var warmUpUntil = Stopwatch.GetTimestamp() + (long)(WarmUp.TotalSeconds * Stopwatch.Frequency);
        void Record(string eventId, long at)
        {
            if (at > warmUpUntil)
            {
                produced[eventId] = at;
            }
        }

        using (var feeder = new EventFeeder(bootstrap, generator) { OnProduced = Record })
        {
            feeder.Feed(rate, duration + WarmUp);
        }

        Thread.Sleep(2_000);
        stop.Cancel();
        reader.Wait();
        if (Environment.GetEnvironmentVariable("BENCH_LATENCY_TIMELINE") is not null)
        {
            var start = latencies.Min(l => l.At);
            foreach (var second in latencies.GroupBy(l => (int)Stopwatch.GetElapsedTime(start, l.At).TotalSeconds).OrderBy(g => g.Key))
            {
                var ms = second.Select(l => l.Ms).Order().ToArray();
                Console.WriteLine($"  second {second.Key}: n={ms.Length} p50={ms[ms.Length / 2]:N1} p99={ms[(int)(ms.Length * 0.99)]:N1} max={ms[^1]:N1}");
            }
        }

        var sorted = latencies.Select(l => l.Ms).Order().ToArray();
        return sorted.Length == 0 ? (double.NaN, double.NaN, 0) : (sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)], sorted.Length);
    }
}
