using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Ingest.Kafka;

namespace InventoryOrleans.Ingest.Rollback;

/// <summary>
/// The rollback check's view of Kafka, apart from the pipeline's consumer: the group's committed offsets, and a range
/// of one input topic-partition read with a consumer of its own (assigned, not subscribed, so it joins no group and
/// commits nothing; <c>read_committed</c>, as the pipeline reads). Blocking calls: run off the pipeline's thread.
/// </summary>
internal sealed class PartitionRangeReader(KafkaOptions kafka, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(10);
    private readonly Lock _lookupGate = new();
    private IConsumer<byte[], byte[]>? _lookup;

    /// <summary>The group's committed offsets (<see cref="Offset.Unset"/>: none); throws <see cref="KafkaException"/> when the broker does not answer.</summary>
    public IReadOnlyList<TopicPartitionOffset> Committed(IReadOnlyList<TopicPartition> partitions)
    {
        lock (_lookupGate)
        {
            // Same group id as the pipeline, to read its offsets; it never subscribes, so it never joins the group.
            _lookup ??= Build(kafka.GroupId, "rollback-lookup");
            return _lookup.Committed(partitions, LookupTimeout);
        }
    }

    /// <summary>
    /// Reads <paramref name="range"/> of <paramref name="partition"/> (at most its last <paramref name="maxMessages"/>
    /// messages, and only what the log still holds) until its end or <paramref name="timeout"/>.
    /// </summary>
    public RangeScan Read(TopicPartition partition, OffsetRange range, int maxMessages, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var consumer = Build($"{kafka.GroupId}-rollback-check", "rollback-check");
        var low = consumer.QueryWatermarkOffsets(partition, LookupTimeout).Low;
        var from = Math.Max(Math.Max(range.From, low.Value), range.To - maxMessages);
        var last = new Dictionary<string, (long Offset, string EventId)>(StringComparer.Ordinal);
        if (from >= range.To)
        {
            return new RangeScan(new OffsetRange(from, range.To), last, TimedOut: false);
        }

        consumer.Assign(new TopicPartitionOffset(partition, from));
        var started = time.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var left = timeout - time.GetElapsedTime(started);
            var message = left > TimeSpan.Zero ? consumer.Consume(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)) : null;
            if (message is null)
            {
                if (left <= TimeSpan.Zero)
                {
                    return new RangeScan(new OffsetRange(from, range.To), last, TimedOut: true);
                }

                continue;
            }

            // At the end of the log (a range end the log does not reach yet cannot be read further) or of the range.
            if (message.IsPartitionEOF || message.Offset.Value >= range.To)
            {
                return new RangeScan(new OffsetRange(from, range.To), last, TimedOut: false);
            }

            var parsed = InventoryEventParser.Parse(message.Message.Key, message.Message.Value);
            if (parsed.IsValid && EventValidation.FindInvalidContent(parsed.Event!) is null)
            {
                last[parsed.Event!.ProductId] = (message.Offset.Value, parsed.Event.EventId);
            }
        }
    }

    public void Dispose()
    {
        lock (_lookupGate)
        {
            _lookup?.Dispose();
            _lookup = null;
        }
    }

    private IConsumer<byte[], byte[]> Build(string groupId, string role) => new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
    {
        BootstrapServers = kafka.BootstrapServers,
        GroupId = groupId,
        ClientId = ClientIds.For(kafka, role),
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        AllowAutoCreateTopics = false,
        IsolationLevel = IsolationLevel.ReadCommitted,
        EnablePartitionEof = true,
    }).SetLogHandler((_, _) => { }).Build();
}
