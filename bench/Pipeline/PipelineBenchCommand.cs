using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using InventoryOrleans.Bench.Hosting;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Kafka;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// <c>bench -- pipeline [--products 10000] [--events 300000] [--silos 1] [--stagger 0] [--rate 10000] [--duration 20]
/// [--parallel 256] [--fetch-wait 20] [--window N] [--batch N] [--stores memory,…] [--transactions on,off] [--overlap on,off] [--warmup] [--format json,avro] [--sweep [1000,10000,…]]</c>: DevBroker (file-backed log) + a real Redis
/// (<see cref="BenchStore"/>: redis-server without persistence unless <c>--stores</c> names others; with several, the
/// whole run repeats per store, on fresh backends, and a summary compares them) + <c>silos</c> silos composed like the
/// executable + the feeder, in one process. The silos start together, or <c>stagger</c>
/// seconds apart so that each newcomer takes partitions over in the middle of the backlog. Measures (1) a passthrough baseline over a backlog (consume →
/// produce → commit, no grains, no storage), (2) the silos' sustained events/s over the same backlog, until the group
/// has committed its end, (3) latency from produce to the net-stock record at a fixed rate. Prints the share of the
/// ingest's grain calls that went to a grain on another silo, per-stage times and GC figures. <c>--format avro</c> feeds
/// the backlog and the probe as Confluent-framed Avro (InventoryEvent.avsc at the DevBroker's registry); outputs stay JSON.
/// </summary>
public static class PipelineBenchCommand
{
    public static int Run(string[] args)
    {
        var options = new BenchArguments(args);
        var settings = new PipelineSettings(
            Events: options.Int("--events", 300_000),
            Products: options.Int("--products", 10_000),
            Silos: options.Int("--silos", 1),
            StaggerSeconds: options.Int("--stagger", 0),
            Rate: options.Int("--rate", 10_000),
            DurationSeconds: options.Int("--duration", 20),
            Parallel: options.Int("--parallel", 256),
            FetchWaitMs: options.Int("--fetch-wait", 20),
            Window: options.OptionalInt("--window"),
            Batch: options.OptionalInt("--batch"));
        var stores = BenchStore.ParseList(options.Value("--stores") ?? "memory");
        var transactions = ParseOnOff("--transactions", options.Value("--transactions") ?? "on");
        var overlaps = ParseOnOff("--overlap", options.Value("--overlap") ?? "on");
        var formats = ParseFormats(options.Value("--format") ?? "json");
        var sweep = ParseSweep(args, options.Value("--sweep"));

        // A process's first run pays for JIT tiering, thread-pool growth and first-use costs: half its speed at 1,000
        // products. --warmup runs a short unmeasured one first, so the runs that count see a process as a silo that has
        // been up for a while is.
        if (args.Contains("--warmup"))
        {
            Console.WriteLine("warm-up run (not counted):");
            RunAsync(settings with { Products = 1_000, Events = 100_000, DurationSeconds = 2 }, stores[0]).GetAwaiter().GetResult();
            Console.WriteLine("warm-up done; the runs that count:");
        }

        // Every catalog size with every store and every transactions setting, each on fresh backends.
        var results = new List<PipelineRunResult>();
        foreach (var products in sweep ?? [settings.Products])
        {
            // A sweep gives each size at least two events per product, so every product is touched (1,000,000 → 2,000,000).
            var sized = sweep is null ? settings : settings with { Products = products, Events = Math.Max(settings.Events, 2 * products) };
            foreach (var store in stores)
            {
                foreach (var (transactional, overlap) in transactions.SelectMany(t => overlaps.Select(o => (t, o))))
                {
                    foreach (var format in formats)
                    {
                        results.Add(RunAsync(sized with { Transactions = transactional, Overlap = overlap, Format = format }, store).GetAwaiter().GetResult());
                    }
                }
            }
        }

        if (sweep is not null)
        {
            PrintScaleTable(results);
        }
        else if (results.Count > 1)
        {
            Console.WriteLine("runs compared (each with its own passthrough baseline; the first run is the baseline of the last column):");
            foreach (var result in results)
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {result.Label,-30} passthrough {result.PassthroughRate,9:N0}/s, pipeline {result.PipelineRate,8:N0}/s ({result.PipelineRate / result.PassthroughRate,4:P0}), p50 {result.P50,6:N1} ms, p99 {result.P99,6:N1} ms; events/s {result.PipelineRate / results[0].PipelineRate:P0} of the first's"));
            }
        }

        return 0;
    }

    // "--sweep" alone: 1,000, 10,000 and 100,000 products (a million only when asked: "--sweep 1000,1000000").
    private static List<int>? ParseSweep(string[] args, string? value)
    {
        if (!args.Contains("--sweep"))
        {
            return null;
        }

        return value is null || value.StartsWith("--", StringComparison.Ordinal)
            ? [1_000, 10_000, 100_000]
            : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
    }

    // The issue's table: one line per run, and the heap's slope per product between sizes (the silos' fixed cost out).
    private static void PrintScaleTable(List<PipelineRunResult> results)
    {
        Console.WriteLine("| products | run | passthrough | pipeline | ratio | p50 / p99 | allocated per event | GC paused | heap | per active grain | per stored product |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Products:N0} | {r.Label} | {r.PassthroughRate:N0}/s | {r.PipelineRate:N0}/s | {r.PipelineRate / r.PassthroughRate:P0} | {r.P50:N1} / {r.P99:N1} ms | {r.AllocatedPerEvent / 1024:N1} KB | {r.GcPaused.TotalSeconds:N1} s | {r.Memory.HeapBytes / 1048576.0:N0} MiB | {r.Memory.BytesPerActiveProduct:N0} B | {r.Memory.BytesPerStoredProduct:N0} B |"));
        }

        foreach (var label in results.Select(r => r.Label).Distinct())
        {
            var runs = results.Where(r => r.Label == label).OrderBy(r => r.Products).ToList();
            for (var i = 1; i < runs.Count; i++)
            {
                var (small, large) = (runs[i - 1], runs[i]);
                var slope = (large.Memory.HeapBytes - small.Memory.HeapBytes) / (double)(large.Memory.ActiveProducts - small.Memory.ActiveProducts);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {label}: heap per additional active product from {small.Products:N0} to {large.Products:N0} products: {slope:N0} B"));
            }
        }
    }

    // "on", "off", or both in the order given.
    private static List<bool> ParseOnOff(string option, string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => v switch
        {
            "on" => true,
            "off" => false,
            _ => throw new ArgumentException($"{option} takes on, off or on,off, not '{v}'"),
        })];

    // "json", "avro", or both in the order given.
    private static List<string> ParseFormats(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => v is "json" or "avro"
            ? v
            : throw new ArgumentException($"--format takes json, avro or json,avro, not '{v}'"))];

    private static async Task<PipelineRunResult> RunAsync(PipelineSettings settings, string store)
    {
        // Kafka's own default initial rebalance delay (3 s), so consumers started together share the first generation
        // instead of the first one taking every partition and giving half back mid-backlog.
        await using var backends = await BenchBackends.StartAsync("pipeline-bench", initialRebalanceDelayMs: 3_000, store);
        var (broker, redis, partitions) = (backends.Broker, backends.Redis, backends.Partitions);
        Console.WriteLine($"store {redis.Kind}: {redis.Description}; Kafka transactions {(settings.Transactions ? "on" : "off")}; overlapped batches {(settings.Overlap ? "on" : "off")}; input {settings.Format}");
        var kafka = new KafkaOptions { BootstrapServers = broker.BootstrapServers };
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"pipeline: {settings.Silos} silo(s) in one Orleans cluster (Redis membership) and one consumer group{(settings.StaggerSeconds > 0 ? $", started {settings.StaggerSeconds} s apart" : "")}, {partitions} partitions per input topic, {settings.Products:N0} products; server GC {GCSettings.IsServerGC}, {Environment.ProcessorCount} cores"));

        var generator = new StreamGenerator(settings.Products, duplicateShare: 0.02, lateSnapshotShare: 0.05);
        using var avro = settings.Format == "avro" ? await AvroEventValues.RegisterAsync(backends.SchemaRegistryUrl) : null;
        using (var feeder = new EventFeeder(broker.BootstrapServers, generator, avro))
        {
            var fed = Stopwatch.StartNew();
            feeder.Feed(rate: 0, TimeSpan.FromMinutes(10), settings.Events);
            Console.WriteLine($"backlog: {settings.Events:N0} events produced in {fed.Elapsed.TotalSeconds:N1} s");
        }

        var passthrough = PassthroughBaseline.Run(broker.BootstrapServers, settings.Events, settings.Silos);
        var passthroughRate = settings.Events / passthrough.TotalSeconds;
        Console.WriteLine($"passthrough (consume → produce → commit, {settings.Silos} consumer(s)): {passthroughRate,10:N0} events/s");

        using var progress = new GroupProgress(broker.BootstrapServers, kafka.GroupId, Topics.Inputs, partitions);
        var heapBefore = MemoryFigures.HeapAfterFullCollection();
        var siloConfiguration = settings.SiloConfiguration();
        siloConfiguration["Redis:DurabilityCommand"] = redis.DurabilityCommand;
        siloConfiguration["SchemaRegistry:Url"] = backends.SchemaRegistryUrl;
        await using var silos = BenchSilos.Build(settings.Silos, broker.BootstrapServers, redis.ConnectionString, siloConfiguration);
        var start = silos.Snapshot();
        var starting = silos.StartAsync(TimeSpan.FromSeconds(settings.StaggerSeconds));
        while (silos.Snapshot().Sum(s => s.EventsConsumed) == 0)
        {
            if (starting.IsFaulted)
            {
                await starting;
            }

            await Task.Delay(1);
        }

        using var allocations = AllocationSampler.StartIfAsked();
        allocations?.Begin();
        var gcBefore = GcFigures.Now();
        var cpuBefore = await CpuFigures.NowAsync(redis.Configuration);
        var clock = Stopwatch.StartNew();
        var assignedAtStart = silos.Assignment();
        await progress.WaitUntilAllCommittedAsync(TimeSpan.FromMinutes(30));
        var elapsed = clock.Elapsed;
        if (!starting.IsCompleted)
        {
            Console.WriteLine("  (the backlog was done before every silo had started)");
        }

        await starting;

        // The group's committed offset can reach the end a moment before the pipeline thread counts the last batch's
        // outcomes (it counts after the commit returns): wait for the counters briefly rather than print a short count.
        var counted = Stopwatch.StartNew();
        while (new IngestFigures(start, silos.Snapshot()).Outcomes < settings.Events && counted.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }

        var backlog = new IngestFigures(start, silos.Snapshot());
        var cpuAfter = await CpuFigures.NowAsync(redis.Configuration);
        var pipelineRate = settings.Events / elapsed.TotalSeconds;
        Console.WriteLine($"pipeline (grains + Redis, {settings.Silos} silo(s)): {pipelineRate,10:N0} events/s  ({pipelineRate / passthroughRate:P0} of passthrough)");
        Console.WriteLine($"  partitions: {assignedAtStart}{(silos.Assignment() == assignedAtStart ? "" : $"; moved during the backlog, now {silos.Assignment()}")}");
        Console.WriteLine($"  {backlog.GrainCalls()}");
        Console.WriteLine($"  product grains active: {silos.Activations()}");
        Console.WriteLine($"  outcomes {backlog.Outcomes:N0} for {settings.Events:N0} events{(backlog.Outcomes > settings.Events ? " (the rest: batches replayed after a rebalance)" : "")}");
        var gc = GcFigures.Now();
        Console.WriteLine($"  {gc.Since(gcBefore, settings.Events)}");
        Console.WriteLine($"  {cpuAfter.Since(cpuBefore, settings.Events)}");
        foreach (var line in allocations?.End(top: 25) ?? [])
        {
            Console.WriteLine($"    allocated {line}");
        }

        foreach (var line in backlog.Stages(perBatch: false))
        {
            Console.WriteLine($"  {line}");
        }

        var before = silos.Snapshot();
        var assignedBefore = silos.Assignment();
        var cpuBeforeSteady = await CpuFigures.NowAsync(redis.Configuration);
        var (p50, p99, samples) = LatencyProbe.Measure(broker.BootstrapServers, generator, avro, partitions, settings.Rate, TimeSpan.FromSeconds(settings.DurationSeconds));
        var streaming = new IngestFigures(before, silos.Snapshot());
        var cpuSteady = (await CpuFigures.NowAsync(redis.Configuration)).Since(cpuBeforeSteady, streaming.Outcomes);
        Console.WriteLine($"latency produce → net-stock at {settings.Rate:N0} events/s for {settings.DurationSeconds} s: p50 {p50:N1} ms, p99 {p99:N1} ms ({samples:N0} samples)");
        Console.WriteLine($"  {cpuSteady}");
        Console.WriteLine($"  {streaming.GrainCalls()}");
        foreach (var line in streaming.Stages(perBatch: true))
        {
            Console.WriteLine($"  {line}");
        }

        Console.WriteLine($"  product grains active: {silos.Activations()}");
        if (silos.Assignment() != assignedBefore)
        {
            Console.WriteLine($"  partitions moved during the steady phase: now {silos.Assignment()}");
        }

        // Last: a full compacting collection of a multi-GiB heap stops the process for seconds, longer than the Kafka
        // session timeout at a million products, so taken before the latency phase it started that phase in a rebalance.
        var memory = await MemoryFigures.MeasureAsync(heapBefore, silos.ActiveProducts(), redis.Configuration);
        Console.WriteLine($"  {memory}");

        return new PipelineRunResult(
            $"{store}, transactions {(settings.Transactions ? "on" : "off")}{(settings.Overlap ? ", overlap on" : "")}, {settings.Format}",
            settings.Products,
            passthroughRate,
            pipelineRate,
            p50,
            p99,
            (gc.Allocated - gcBefore.Allocated) / (double)settings.Events,
            gc.Paused - gcBefore.Paused,
            memory);
    }

    private sealed record PipelineRunResult(
        string Label,
        int Products,
        double PassthroughRate,
        double PipelineRate,
        double P50,
        double P99,
        double AllocatedPerEvent,
        TimeSpan GcPaused,
        MemoryFigures Memory);

    private sealed record PipelineSettings(int Events, int Products, int Silos, int StaggerSeconds, int Rate, int DurationSeconds, int Parallel, int FetchWaitMs, int? Window, int? Batch, bool Transactions = true, bool Overlap = true, string Format = "json")
    {
        public Dictionary<string, string?> SiloConfiguration()
        {
            var configuration = new Dictionary<string, string?>
            {
                ["Kafka:MaxParallelProducts"] = Parallel.ToString(CultureInfo.InvariantCulture),
                ["Kafka:FetchWaitMaxMs"] = FetchWaitMs.ToString(CultureInfo.InvariantCulture),
                ["Kafka:Transactions"] = Transactions ? "true" : "false",
                ["Kafka:OverlapBatches"] = Overlap ? "true" : "false",
            };
            if (Window is { } size)
            {
                configuration["ProductGrain:DedupWindowSize"] = size.ToString(CultureInfo.InvariantCulture);
            }

            if (Batch is { } batch)
            {
                configuration["Kafka:MaxBatchSize"] = batch.ToString(CultureInfo.InvariantCulture);
            }

            return configuration;
        }
    }
}
