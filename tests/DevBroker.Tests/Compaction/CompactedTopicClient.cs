using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace InventoryOrleans.DevBroker.Tests.Compaction;

/// <summary>Confluent.Kafka against a compacted topic of one partition: create it, produce keyed records and tombstones
/// (recording their offsets), read it back from any offset to the end.</summary>
internal static class CompactedTopicClient
{
    public static async Task CreateAsync(string bootstrap, string topic, string policy = "compact", long deleteRetentionMs = 3_600_000, int segmentBytes = 2048, long segmentMs = -1)
    {
        var configs = new Dictionary<string, string>
        {
            ["cleanup.policy"] = policy,
            ["segment.bytes"] = $"{segmentBytes}",
            ["delete.retention.ms"] = $"{deleteRetentionMs}",
        };
        if (segmentMs > 0)
        {
            configs["segment.ms"] = $"{segmentMs}";
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = topic,
            NumPartitions = 1,
            ReplicationFactor = 1,
            Configs = configs,
        }]);
    }

    public static IProducer<byte[]?, byte[]?> Producer(string bootstrap, CompressionType compression = CompressionType.None) =>
        new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 2,
            CompressionType = compression,
        }).Build();

    /// <summary>Produces the records together (a few batches), waits for every acknowledgement; returns (offset, key, value).</summary>
    public static async Task<List<(long Offset, string Key, string? Value)>> ProduceAsync(
        IProducer<byte[]?, byte[]?> producer, string topic, IEnumerable<(string Key, string? Value)> records)
    {
        var deliveries = records.Select(r => producer.ProduceAsync(
            new TopicPartition(topic, 0),
            new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(r.Key), Value = r.Value is null ? null : Encoding.UTF8.GetBytes(r.Value) })).ToList();
        var results = await Task.WhenAll(deliveries);
        Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
        return [.. results.Select(r => (r.Offset.Value, Encoding.UTF8.GetString(r.Message.Key!), r.Message.Value is null ? null : Encoding.UTF8.GetString(r.Message.Value)))];
    }

    /// <summary>Every record from <paramref name="from"/> until the consumer reaches the end of the partition.</summary>
    public static List<(long Offset, string Key, string? Value)> Read(string bootstrap, string topic, long from = 0)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "assign-only", // required by the client; assign mode never joins it
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 100,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, from));
        var read = new List<(long, string, string?)>();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the consumer reached the end of {topic} within 30 s ({read.Count} records read)");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                consumer.Close();
                return read;
            }

            read.Add((result.Offset.Value, Encoding.UTF8.GetString(result.Message.Key!), result.Message.Value is null ? null : Encoding.UTF8.GetString(result.Message.Value)));
        }
    }

    /// <summary>Each record's timestamp by offset, read before cleaning.</summary>
    public static Dictionary<long, long> Timestamps(string bootstrap, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "assign-only",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 100,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, 0));
        var timestamps = new Dictionary<long, long>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                if (result.IsPartitionEOF)
                {
                    break;
                }

                timestamps[result.Offset.Value] = result.Message.Timestamp.UnixTimestampMs;
            }
        }

        consumer.Close();
        return timestamps;
    }

    /// <summary>What compaction keeps of <paramref name="produced"/>: each key's record with the highest offset.</summary>
    public static List<(long Offset, string Key, string? Value)> NewestPerKey(IEnumerable<(long Offset, string Key, string? Value)> produced) =>
        [.. produced.GroupBy(r => r.Key).Select(g => g.MaxBy(r => r.Offset)).OrderBy(r => r.Offset)];

    /// <summary>Unique keys with 128-character random values (gzip cannot shrink them much): written last, they seal
    /// every segment holding what came before.</summary>
    public static IEnumerable<(string Key, string? Value)> Fillers(int count, string prefix = "filler") =>
        Enumerable.Range(0, count).Select(i => ($"{prefix}-{i}", (string?)string.Concat(Enumerable.Range(0, 4).Select(_ => Guid.NewGuid().ToString("N")))));

    /// <summary>Creates the topic; a producer writes once and leaves (its batch is superseded: the cleaner keeps it empty),
    /// then another updates 30 keys 10 times, writes tombstones for 5 of them and unique fillers. Returns everything written.</summary>
    public static async Task<List<(long Offset, string Key, string? Value)>> ProduceUpdatesAsync(
        string bootstrap, string topic, TimeSpan deleteRetention, CompressionType compression = CompressionType.None)
    {
        await CreateAsync(bootstrap, topic, deleteRetentionMs: (long)deleteRetention.TotalMilliseconds);
        var produced = new List<(long Offset, string Key, string? Value)>();
        using (var early = Producer(bootstrap, compression))
        {
            produced.AddRange(await ProduceAsync(early, topic, [("k0", "early")]));
        }

        using var producer = Producer(bootstrap, compression);
        foreach (var round in Enumerable.Range(0, 10))
        {
            produced.AddRange(await ProduceAsync(producer, topic, Enumerable.Range(0, 30).Select(k => ($"k{k}", (string?)$"k{k}-r{round}"))));
        }

        produced.AddRange(await ProduceAsync(producer, topic, Enumerable.Range(0, 5).Select(k => ($"k{k}", (string?)null))));
        foreach (var chunk in Enumerable.Range(0, 4))
        {
            produced.AddRange(await ProduceAsync(producer, topic, Fillers(15, $"filler{chunk}")));
        }

        return produced;
    }
}
