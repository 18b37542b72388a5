using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using ErrorCode = Confluent.Kafka.ErrorCode;
using InventoryOrleans.DevBroker;
using InventoryOrleans.Ingest.Kafka;

namespace InventoryOrleans.Bench.Broker;

/// <summary>`bench -- broker [records] [partitions] [--data-dir path] [--batch-bytes n] [--fetch-bytes n] [--bootstrap host:port] [--kestrel]`
/// (environment BENCH_DEBUG=protocol,fetch passes librdkafka debug contexts to the consumer): produce then consume 100-byte records through
/// Confluent.Kafka against an in-process DevBroker (idempotent producer, acks=all), and print records/s.</summary>
public static class BrokerThroughputCommand
{
    private const int RecordBytes = 100;
    private static int _batchBytes = 1_000_000;
    private static int _partitionFetchBytes = 4 * 1024 * 1024;

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string[] valued = ["--data-dir", "--batch-bytes", "--fetch-bytes", "--bootstrap"];
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !valued.Contains(args[i - 1]))).ToList();
        var records = positional.Count > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 1_000_000;
        var partitions = positional.Count > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 6;
        _batchBytes = IntOption(args, "--batch-bytes", _batchBytes);
        _partitionFetchBytes = IntOption(args, "--fetch-bytes", _partitionFetchBytes);
        var dataDirIndex = Array.IndexOf(args, "--data-dir");
        var dataDir = dataDirIndex >= 0 && dataDirIndex + 1 < args.Length ? args[dataDirIndex + 1] : null;
        var bootstrapIndex = Array.IndexOf(args, "--bootstrap");
        if (bootstrapIndex >= 0 && bootstrapIndex + 1 < args.Length)
        {
            // An external broker (e.g. the DevBroker executable), to see the broker's and the clients' CPU apart.
            RunAgainstAsync(args[bootstrapIndex + 1], records, partitions).GetAwaiter().GetResult();
            return 0;
        }

        var transport = args.Contains("--kestrel") ? BrokerTransport.Kestrel : BrokerTransport.Sockets;
        RunAsync(records, partitions, dataDir, transport).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAgainstAsync(string bootstrap, int records, int partitions)
    {
        var topic = $"bench-{Guid.NewGuid():N}";
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
        }

        Report("produce", records, Produce(bootstrap, topic, records));
        Report("consume", records, Consume(bootstrap, topic, records, partitions));
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void Report(string what, int records, TimeSpan elapsed) =>
        Console.WriteLine($"{what}: {records / elapsed.TotalSeconds,12:N0} records/s  ({records * (double)RecordBytes / elapsed.TotalSeconds / 1e6:N1} MB/s, {elapsed.TotalSeconds:N2} s)");

    private static async Task RunAsync(int records, int partitions, string? dataDir, BrokerTransport transport)
    {
        var temporary = dataDir is null ? null : Path.Combine(dataDir, $"bench-{Guid.NewGuid():N}");
        await using var broker = await DevBrokerServer.StartAsync(new DevBrokerOptions { Port = 0, DataDir = temporary, Transport = transport });
        try
        {
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = "bench", NumPartitions = partitions, ReplicationFactor = 1 }]);
            }

            Console.WriteLine($"DevBroker ({transport}) at {broker.BootstrapServers}, {(temporary is null ? "in memory" : "data " + temporary)}; {records:N0} records of {RecordBytes} bytes over {partitions} partitions; librdkafka {Library.VersionString}");
            Report("produce (idempotent, acks=all, linger 5 ms)", records, Produce(broker.BootstrapServers, "bench", records));
            Report("consume (assign, from the beginning)      ", records, Consume(broker.BootstrapServers, "bench", records, partitions));
        }
        finally
        {
            await broker.StopAsync();
            if (temporary is not null && Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private static TimeSpan Produce(string bootstrap, string topic, int records)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            BatchNumMessages = 100_000,
            BatchSize = _batchBytes,
            QueueBufferingMaxMessages = 2_000_000,
            QueueBufferingMaxKbytes = 1024 * 1024,
            MessageMaxBytes = 8 * 1024 * 1024,
            DeliveryReportFields = "status",
        };
        using var producer = new ProducerBuilder<Null, byte[]>(config).Build();
        var value = new byte[RecordBytes];
        Random.Shared.NextBytes(value);
        var message = new Message<Null, byte[]> { Value = value };
        var failures = 0;
        void OnDelivery(DeliveryReport<Null, byte[]> report)
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failures);
            }
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < records; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, OnDelivery);
                    break;
                }
                catch (ProduceException<Null, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        if (producer.Flush(TimeSpan.FromMinutes(2)) != 0 || failures != 0)
        {
            throw new InvalidOperationException($"{failures} records failed to produce.");
        }

        return clock.Elapsed;
    }

    private static TimeSpan Consume(string bootstrap, string topic, int records, int partitions)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-assign",
            EnableAutoCommit = false,
            // A batch larger than the partition fetch size comes alone (only the first partition of a fetch may
            // exceed its limit), so the fetch size must hold several producer batches; moderate answers keep the
            // broker and the client working in parallel.
            MaxPartitionFetchBytes = _partitionFetchBytes,
            FetchMaxBytes = Math.Max(_partitionFetchBytes * 6, 52_428_800),
            ConsumeResultFields = "none",
            Debug = Environment.GetEnvironmentVariable("BENCH_DEBUG"),

            // librdkafka stops fetching a partition whose local queue is over these, and looks again only about
            // once a second: with the defaults the consumer idles between bursts.
            QueuedMinMessages = 1_000_000,
            QueuedMaxMessagesKbytes = 1024 * 1024,
        };
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var clock = Stopwatch.StartNew();
        var read = 0;
        while (read < records)
        {
            if (consumer.Consume(TimeSpan.FromSeconds(10)) is null)
            {
                throw new InvalidOperationException($"Consumer stalled after {read} of {records} records.");
            }

            read++;
        }

        var elapsed = clock.Elapsed;
        consumer.Close();
        return elapsed;
    }
}
