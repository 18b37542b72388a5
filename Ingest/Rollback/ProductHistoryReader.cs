using System.Text.Json;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Ingest.Decoding;
using InventoryOrleans.Ingest.Kafka;

namespace InventoryOrleans.Ingest.Rollback;

/// <summary>
/// Reads one product's decided messages back from Kafka, in the order they were decided: its records on
/// <c>inventory.outcomes</c> (its key's partition, <c>read_committed</c>; the first record of each input message, as a
/// message delivered again repeats its record), each with the input message it names and the time it was published.
/// Refuses when the log no longer holds the product's whole history (retention). Outcomes and inputs are read in
/// whichever format each record has (JSON or Confluent-framed Avro), so a topic that changed format reads whole.
/// Blocking: run off any pool thread.
/// </summary>
internal sealed class ProductHistoryReader(KafkaOptions kafka, InputDecoder decoder, RegistrySchemas registry, TimeProvider time)
{
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The history, or why there is none to rebuild from.</summary>
    public (IReadOnlyList<DecidedMessage> History, string? Problem) Read(string productId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = $"{kafka.GroupId}-rebuild",
            ClientId = ClientIds.For(kafka, "rebuild"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AllowAutoCreateTopics = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
        }).SetLogHandler((_, _) => { }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers, ClientId = ClientIds.For(kafka, "rebuild-admin") })
            .SetLogHandler((_, _) => { })
            .Build();
        var outcomePartitions = admin.GetMetadata(Topics.Outcomes, LookupTimeout).Topics.Single().Partitions.Count;
        var outcomes = new TopicPartition(Topics.Outcomes, Murmur2Partitioner.Partition(productId, outcomePartitions));
        var decided = new List<(EventPosition Position, DateTimeOffset At, OutcomeStatus Status, string? Reason, long Version)>();
        var seen = new HashSet<EventPosition>();
        string? unreadable = null;
        var problem = ReadPartition(consumer, outcomes, null, started, timeout, cancellationToken, message =>
        {
            if (Key(message) != productId)
            {
                return;
            }

            var (outcome, notRead) = ReadOutcome(message.Message.Value, cancellationToken);
            unreadable ??= notRead;
            if (outcome is { } o && seen.Add(o.Position))
            {
                decided.Add((o.Position, message.Message.Timestamp.UtcDateTime, o.Status, o.Reason, o.Version));
            }
        });
        problem ??= unreadable;
        if (problem is not null)
        {
            return ([], problem);
        }

        var events = new Dictionary<EventPosition, InventoryEvent>();
        foreach (var group in decided.GroupBy(d => new TopicPartition(d.Position.Topic, d.Position.Partition)))
        {
            var wanted = group.Select(d => d.Position.Offset).ToHashSet();
            problem = ReadPartition(consumer, group.Key, wanted.Min(), started, timeout, cancellationToken, message =>
            {
                if (!wanted.Contains(message.Offset.Value))
                {
                    return;
                }

                var lookup = decoder.LookUpAsync([message], cancellationToken).GetAwaiter().GetResult();
                if (lookup.Outage is { } outage)
                {
                    unreadable ??= outage;
                }
                else if (decoder.Decode(message, lookup) is { IsValid: true } parsed)
                {
                    events[new EventPosition(message.Topic, message.Partition.Value, message.Offset.Value)] = parsed.Event!;
                }
            }, stopAfter: wanted.Max());
            problem ??= unreadable;
            if (problem is not null)
            {
                return ([], problem);
            }
        }

        var missing = decided.FirstOrDefault(d => !events.ContainsKey(d.Position));
        if (missing != default)
        {
            return ([], $"the input message {missing.Position.Topic}/{missing.Position.Partition}@{missing.Position.Offset} of a published outcome is no longer in the log (or no longer a valid event)");
        }

        return ([.. decided.Select(d => new DecidedMessage(events[d.Position], d.Position, d.At, d.Status, d.Reason, d.Version))], null);
    }

    // Reads the partition from its start (or from `from`) to its end (or past `stopAfter`); null, or what went wrong.
    private string? ReadPartition(
        IConsumer<byte[], byte[]> consumer,
        TopicPartition partition,
        long? from,
        long started,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        Action<ConsumeResult<byte[], byte[]>> each,
        long? stopAfter = null)
    {
        var watermarks = consumer.QueryWatermarkOffsets(partition, LookupTimeout);
        if (watermarks.Low.Value > (from ?? 0))
        {
            return $"{partition.Topic}/{partition.Partition.Value} starts at offset {watermarks.Low.Value}: retention deleted part of the product's history";
        }

        if (watermarks.High.Value <= (from ?? 0))
        {
            return null;
        }

        consumer.Assign(new TopicPartitionOffset(partition, from ?? Offset.Beginning));
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var left = timeout - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    return $"reading {partition.Topic}/{partition.Partition.Value} took over RollbackCheck:ScanTimeout ({timeout})";
                }

                var message = consumer.Consume(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
                if (message is null)
                {
                    continue;
                }

                if (message.IsPartitionEOF)
                {
                    return null;
                }

                each(message);
                if (message.Offset.Value >= stopAfter)
                {
                    return null;
                }
            }
        }
        finally
        {
            consumer.Unassign();
        }
    }

    private static string? Key(ConsumeResult<byte[], byte[]> message) =>
        message.Message.Key is { } key ? System.Text.Encoding.UTF8.GetString(key) : null;

    // An outcome record in either format; a framed one whose schema the registry cannot give now is a problem (the
    // rebuild is refused rather than built from part of the history).
    private ((EventPosition Position, OutcomeStatus Status, string? Reason, long Version)? Outcome, string? Problem) ReadOutcome(byte[]? value, CancellationToken cancellationToken)
    {
        if (value is null || !ConfluentFrame.IsFramed(value))
        {
            return (ParseOutcome(value), null);
        }

        var (record, problem, _) = AvroRecordCodec.ReadAsync(registry, value, AvroSchemas.EventOutcome.Schema, cancellationToken).GetAwaiter().GetResult();
        if (record is null)
        {
            return (null, $"an outcome record could not be read: {problem}");
        }

        var outcome = AvroRecords.ToOutcome(record);
        return ((outcome.Position!.Value, outcome.Status, outcome.Reason, outcome.Version), null);
    }

    private static (EventPosition Position, OutcomeStatus Status, string? Reason, long Version)? ParseOutcome(byte[]? value)
    {
        if (value is null)
        {
            return null;
        }

        using var json = JsonDocument.Parse(value);
        var root = json.RootElement;
        if (root.GetProperty("topic").ValueKind != JsonValueKind.String || !Enum.TryParse<OutcomeStatus>(root.GetProperty("status").GetString(), out var status))
        {
            return null;
        }

        var position = new EventPosition(root.GetProperty("topic").GetString()!, root.GetProperty("partition").GetInt32(), root.GetProperty("offset").GetInt64());
        var reason = root.GetProperty("reason") is { ValueKind: JsonValueKind.String } r ? r.GetString() : null;
        return (position, status, reason, root.GetProperty("version").GetInt64());
    }
}
