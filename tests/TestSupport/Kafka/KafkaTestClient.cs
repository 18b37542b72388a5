using System.Text;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;


namespace InventoryOrleans.TestSupport.Kafka;

/// <summary>Produces input messages and reads topics back, like an outside client (Confluent.Kafka, murmur2 partitioner).</summary>
public sealed class KafkaTestClient : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;

    // Wait loops poll offsets every few milliseconds; one long-lived admin client, watermark reader and offset reader
    // per group keep that from opening (and tearing down) a dozen librdkafka clients and connections per poll, which
    // on a loaded 2-core machine starved the broker the clients were asking.
    private readonly Lazy<IAdminClient> _admin;
    private readonly Lazy<IConsumer<byte[], byte[]>> _watermarks;
    private readonly Dictionary<string, IConsumer<byte[], byte[]>> _offsetReaders = [];
    private readonly Lock _offsetReadersLock = new();

    public KafkaTestClient(string bootstrapServers)
    {
        BootstrapServers = bootstrapServers;
        _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = 5,
            BatchNumMessages = 10_000,
            QueueBufferingMaxMessages = 1_000_000,
            // Dead letters are copied unchanged, including messages over the 1 MiB event limit.
            MessageMaxBytes = 16 * 1024 * 1024,
        }).SetLogHandler((_, _) => { }).Build();
        _admin = new Lazy<IAdminClient>(() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers })
            .SetLogHandler((_, _) => { })
            .Build());
        _watermarks = new Lazy<IConsumer<byte[], byte[]>>(() => NewConsumer());
    }

    public string BootstrapServers { get; }

    /// <summary>The input topic an event type travels on (docs/CONTRACTS.md).</summary>
    public static string TopicOf(InventoryEvent e) => e.Type switch
    {
        InventoryEventType.Snapshot => Topics.Snapshots,
        InventoryEventType.Sale or InventoryEventType.Return => Topics.Sales,
        _ => Topics.Events,
    };

    /// <summary>Queues one message (raw key and value); call <see cref="Flush"/> to wait for delivery.</summary>
    public void Produce(string topic, byte[]? key, byte[]? value) =>
        _producer.Produce(topic, new Message<byte[], byte[]> { Key = key!, Value = value! }, report =>
        {
            if (report.Error.IsError)
            {
                throw new InvalidOperationException($"test produce failed: {report.Error.Reason}");
            }
        });

    public void Produce(string topic, InventoryEvent e) => Produce(topic, Encoding.UTF8.GetBytes(e.ProductId), EventJson.Serialize(e));

    /// <summary>
    /// Produces the events on their input topics in chunks, each delivered before the next is queued: a steady stream
    /// a test can break into (kill a silo while it flows).
    /// </summary>
    public void ProduceInChunks(IEnumerable<InventoryEvent> events, int chunkSize)
    {
        foreach (var chunk in events.Chunk(chunkSize))
        {
            foreach (var e in chunk)
            {
                Produce(TopicOf(e), e);
            }

            Flush();
        }
    }

    public void Flush()
    {
        var left = _producer.Flush(TimeSpan.FromSeconds(60));
        if (left > 0)
        {
            throw new TimeoutException($"{left} test messages were not delivered within 60 s.");
        }
    }

    /// <summary>
    /// How many records a <c>read_committed</c> reader sees on the topic (reads it whole: for assertions, not for polling).
    /// </summary>
    public long Count(string topic) => ReadAll(topic).Count;

    /// <summary>
    /// The sum of the topic's high watermarks: how far its log reaches, transaction markers and aborted records
    /// included (nothing is ever deleted in tests). Cheap: for waiting on progress, never for counting records.
    /// </summary>
    public long LogEnd(string topic) => Ends(topic).Values.Sum();

    /// <summary>The high watermark of every partition of the topic.</summary>
    public Dictionary<int, long> Ends(string topic) => Partitions(topic).ToDictionary(
        p => p,
        p => _watermarks.Value.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);

    /// <summary>
    /// Every record of the topic a <c>read_committed</c> reader sees, in offset order per partition: read until the
    /// reader's position passes each partition's high watermark (the last offsets may be transaction markers or
    /// aborted records, which such a reader never receives).
    /// </summary>
    public List<ConsumeResult<byte[], byte[]>> ReadAll(string topic) => ReadAll(topic, IsolationLevel.ReadCommitted);

    /// <summary>Every record of the topic as a reader of <paramref name="isolation"/> sees it (read_uncommitted: aborted records too).</summary>
    public List<ConsumeResult<byte[], byte[]>> ReadAll(string topic, IsolationLevel isolation)
    {
        using var consumer = NewConsumer(isolation: isolation);
        var ends = Partitions(topic).ToDictionary(
            p => p,
            p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
        var records = new List<ConsumeResult<byte[], byte[]>>();
        var open = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
        consumer.Assign(open.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (open.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"reading {topic} did not reach its end within 60 s.");
            }

            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is not null)
            {
                records.Add(record);
            }

            open.RemoveWhere(p => consumer.Position(new TopicPartition(topic, p)) is { } position && position != Offset.Unset && position.Value >= ends[p]);
        }

        return records;
    }

    /// <summary>The group's committed offsets per partition of <paramref name="topic"/> (−1001 when none).</summary>
    public Dictionary<int, long> Committed(string groupId, string topic)
    {
        IConsumer<byte[], byte[]> reader;
        lock (_offsetReadersLock)
        {
            // Never subscribes, so it never joins the group whose offsets it reads.
            if (!_offsetReaders.TryGetValue(groupId, out reader!))
            {
                reader = NewConsumer(groupId);
                _offsetReaders[groupId] = reader;
            }
        }

        var partitions = Partitions(topic).Select(p => new TopicPartition(topic, p)).ToList();
        return reader.Committed(partitions, TimeSpan.FromSeconds(10)).ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }

    /// <summary>Sets the group's committed offsets of every partition of the topics (the group must have no members).</summary>
    public void CommitOffsets(string groupId, IEnumerable<string> topics, long offset)
    {
        using var consumer = NewConsumer(groupId);
        consumer.Commit(topics.SelectMany(t => Partitions(t).Select(p => new TopicPartitionOffset(t, p, offset))));
    }

    public List<int> Partitions(string topic)
    {
        var metadata = _admin.Value.GetMetadata(TimeSpan.FromSeconds(10));
        var entry = metadata.Topics.SingleOrDefault(t => t.Topic == topic)
            ?? throw new InvalidOperationException($"topic {topic} does not exist");
        return entry.Partitions.Select(p => p.PartitionId).Order().ToList();
    }

    private IConsumer<byte[], byte[]> NewConsumer(string? groupId = null, IsolationLevel isolation = IsolationLevel.ReadCommitted) =>
        new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            // By default only what committed transactions wrote (aborted attempts of a silo that failed are never seen).
            IsolationLevel = isolation,
            BootstrapServers = BootstrapServers,
            GroupId = groupId ?? "test-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).SetLogHandler((_, _) => { }).Build();

    public void Dispose()
    {
        _producer.Dispose();
        if (_admin.IsValueCreated)
        {
            _admin.Value.Dispose();
        }

        if (_watermarks.IsValueCreated)
        {
            _watermarks.Value.Dispose();
        }

        lock (_offsetReadersLock)
        {
            foreach (var reader in _offsetReaders.Values)
            {
                reader.Dispose();
            }

            _offsetReaders.Clear();
        }
    }
}
