extern alias server;

using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using InventoryOrleans.Bench.Hosting;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using server::InventoryOrleans.Api.Watching;

namespace InventoryOrleans.Bench.Api;

/// <summary>
/// <c>bench -- tail [--records 300000] [--products 100000] [--transaction 1000] [--rounds 3]</c>: what an Api host's
/// live-change tail (<see cref="NetStockTail"/>, which reads every <c>inventory.net-stock</c> record whether or not
/// anything is watched) costs per record, with no watcher. Each round writes <c>records</c> net-stock records (written
/// as the ingest writes them, keyed by <c>products</c> products, in transactions of <c>transaction</c> records as the
/// ingest commits them) twice, after a round that warms up: once with no tail (the baseline) and once with a tail
/// started first, which must read them all before the phase ends; the two alternate which goes first. The difference
/// of this process's CPU between the two phases, per record, is the tail's cost: its consumer and the DevBroker serving
/// its fetches, both in this process.
/// </summary>
internal static class TailBenchCommand
{
    public static int Run(string[] args)
    {
        var options = new BenchArguments(args);
        RunAsync(options.Int("--records", 300_000), options.Int("--products", 100_000), options.Int("--transaction", 1_000), options.Int("--rounds", 3)).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(int records, int products, int transaction, int rounds)
    {
        await using var backends = await BenchBackends.StartAsync("tail-bench");
        var kafka = Options.Create(new KafkaOptions { BootstrapServers = backends.Broker.BootstrapServers });
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var registry = new RegistrySchemas(Options.Create(new SchemaRegistryOptions()));
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = backends.Broker.BootstrapServers,
            TransactionalId = "tail-bench",
            LingerMs = 5,
        }).SetLogHandler((_, _) => { }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tail: DevBroker in this process, {backends.Partitions} partitions; {records:N0} net-stock records per phase over {products:N0} products, {transaction:N0} per transaction; no watcher; {Environment.ProcessorCount} cores"));
        Console.WriteLine("| round | phase | wall s | CPU ms | CPU µs per record | tail behind at the end of writing |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var first = 0;
        var baseline = new List<double>();
        var tailed = new List<double>();
        // Round 0 warms the process up (JIT, tiering, the broker's log files) and is not counted.
        for (var round = 0; round <= rounds; round++)
        {
            // The phases alternate which runs first, so neither is always the one after the other's garbage.
            foreach (var withTail in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var figures = withTail ? await TailedPhaseAsync(meters, kafka, registry, producer, records, products, transaction, first) : Phase(producer, records, products, transaction, first, tail: null);
                first += records;
                Print(round, withTail, figures, records);
                if (round > 0)
                {
                    (withTail ? tailed : baseline).Add(figures.Cpu.TotalMilliseconds * 1000 / records);
                }
            }
        }

        var costs = tailed.Zip(baseline, (t, b) => t - b).ToList();
        var median = costs.Order().ElementAt(costs.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tail cost per record (tail − no tail, per round): {string.Join(", ", costs.Select(c => c.ToString("0.0", CultureInfo.InvariantCulture)))} µs; median {median:0.0} µs"));
    }

    // A tail started (and positioned at the end) before the phase, stopped after it.
    private static async Task<(TimeSpan Wall, TimeSpan Cpu, long Behind)> TailedPhaseAsync(ServiceProvider meters, IOptions<KafkaOptions> kafka, RegistrySchemas registry, IProducer<byte[], byte[]> producer, int records, int products, int transaction, int first)
    {
        var hub = new StockChangeHub(meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        using var tail = new NetStockTail(hub, kafka, registry, NullLogger<NetStockTail>.Instance);
        await tail.StartAsync(CancellationToken.None);
        await tail.Reading.WaitAsync(TimeSpan.FromSeconds(30));
        var figures = Phase(producer, records, products, transaction, first, tail);
        await tail.StopAsync(CancellationToken.None);
        return figures;
    }

    private static (TimeSpan Wall, TimeSpan Cpu, long Behind) Phase(IProducer<byte[], byte[]> producer, int records, int products, int transaction, int first, NetStockTail? tail)
    {
        using var process = Process.GetCurrentProcess();
        var readBefore = tail?.RecordsRead ?? 0;
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var written = 0; written < records; written += transaction)
        {
            producer.BeginTransaction();
            for (var i = written; i < Math.Min(records, written + transaction); i++)
            {
                var productId = string.Create(CultureInfo.InvariantCulture, $"sku-{(first + i) % products:D7}");
                Produce(producer, productId, first + i);
            }

            producer.CommitTransaction(TimeSpan.FromSeconds(30));
        }

        var behind = tail is null ? 0 : records - (tail.RecordsRead - readBefore);
        while (tail is not null && tail.RecordsRead - readBefore < records)
        {
            if (wall.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"the tail read {tail.RecordsRead - readBefore:N0} of {records:N0} records in 5 minutes");
            }

            Thread.Sleep(5);
        }

        process.Refresh();
        return (wall.Elapsed, process.TotalProcessorTime - cpuBefore, behind);
    }

    // A net-stock record as the ingest writes it (RecordSerializer, JSON), keyed by its productId, at one location.
    private static void Produce(IProducer<byte[], byte[]> producer, string productId, int version)
    {
        var stock = new StockView(productId, version % 500, 0, 0, version % 500, version, $"e-{version:D9}", DateTimeOffset.UtcNow, new Dictionary<string, long> { ["dc-1"] = version % 500 }, LowStock: false, LowStockThreshold: 10);
        var message = new Message<byte[], byte[]> { Key = RecordSerializer.Key(productId), Value = RecordSerializer.NetStock(stock) };
        while (true)
        {
            try
            {
                producer.Produce(Topics.NetStock, message);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(10));
            }
        }
    }

    private static void Print(int round, bool withTail, (TimeSpan Wall, TimeSpan Cpu, long Behind) figures, int records) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {(round == 0 ? "warm-up" : round)} | {(withTail ? "tail" : "no tail")} | {figures.Wall.TotalSeconds:0.0} | {figures.Cpu.TotalMilliseconds:0} | {figures.Cpu.TotalMilliseconds * 1000 / records:0.0} | {(withTail ? figures.Behind.ToString("N0", CultureInfo.InvariantCulture) : "–")} |"));
}
