using InventoryOrleans.DevBroker.Cluster;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Storage;

namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>
/// The registry's store: the compacted, single-partition topic <c>_schemas</c> of this broker, as Confluent's registry
/// keeps it in Kafka. Writes go through the partition log like a produce (so Kafka clients see them, the durable log
/// keeps them and the cleaner compacts them); reads walk it from an offset, committed records only.
/// </summary>
internal sealed class SchemasTopic(ClusterState cluster, TimeProvider time)
{
    /// <summary>Confluent's default <c>kafkastore.topic</c>.</summary>
    public const string Name = "_schemas";

    private const int ReadChunkBytes = 1024 * 1024;

    /// <summary>The topic, created (one partition, cleanup.policy=compact) when missing. Its id tells a reader that it
    /// was deleted and created again since the last read.</summary>
    public Topic Open()
    {
        if (cluster.Find(Name) is { } existing)
        {
            return existing;
        }

        var configs = new Dictionary<string, string?> { [TopicConfig.CleanupPolicy] = "compact" };
        var created = cluster.CreateTopic(Name, 1, configs, validateOnly: false);
        return created.Topic ?? cluster.Find(Name)
            ?? throw new InvalidOperationException($"The schema registry could not create its topic {Name}: {created.Message}");
    }

    /// <summary>Appends one record (a null value is a tombstone) and makes it durable before returning: a registration
    /// is answered only once it would survive a crash.</summary>
    public void Append(Topic topic, ReadOnlySpan<byte> key, byte[]? value)
    {
        var batch = SingleRecordBatch.Build(key, value, time.GetUtcNow().ToUnixTimeMilliseconds());
        var error = RecordBatchHeader.Validate(batch, out var header);
        var outcome = error == ErrorCode.None ? Log(topic).Append([(batch, header)], fsync: true) : default;
        if (error != ErrorCode.None || outcome.Error != ErrorCode.None)
        {
            throw new IOException($"Appending to {Name} failed: {(error != ErrorCode.None ? error : outcome.Error)}.");
        }

        cluster.NotifyDataArrived(); // consumers of _schemas waiting in a Fetch
    }

    /// <summary>The records from <paramref name="offset"/> up to the last stable offset (aborted transactions and control
    /// batches left out, in case a client wrote them), and the offset to read from next time.</summary>
    public (IReadOnlyList<SchemaLogRecord> Records, long Next) ReadFrom(Topic topic, long offset)
    {
        var log = Log(topic);
        var records = new List<SchemaLogRecord>();
        var end = log.LastStableOffset;
        offset = Math.Max(offset, log.LogStartOffset);
        using var writer = new KafkaWriter(ReadChunkBytes);
        while (offset < end)
        {
            writer.Reset();
            var read = log.Read(offset, ReadChunkBytes, atLeastOne: true, writer, upTo: end);
            if (read.Error != ErrorCode.None || read.BytesWritten == 0)
            {
                break;
            }

            var next = ReadBatches(log, writer.WrittenMemory[4..], records);
            if (next <= offset)
            {
                break;
            }

            offset = next;
        }

        return (records, offset);
    }

    private static long ReadBatches(PartitionLog log, ReadOnlyMemory<byte> batches, List<SchemaLogRecord> records)
    {
        long next = -1;
        while (batches.Length >= RecordBatchHeader.Size)
        {
            if (RecordBatchHeader.ValidateStored(batches.Span, out var header) != ErrorCode.None)
            {
                break;
            }

            var batch = batches[..header.TotalSize];
            batches = batches[header.TotalSize..];
            next = header.BaseOffset + header.LastOffsetDelta + 1;
            if (header.IsControl || (header.IsTransactional && log.IsAborted(header.ProducerId, header.BaseOffset)))
            {
                continue;
            }

            foreach (var record in BatchRecordReader.TryRead(batch) ?? [])
            {
                if (record.Key is { } key)
                {
                    records.Add(new SchemaLogRecord(header.BaseOffset + record.OffsetDelta, key.ToArray(), record.Value?.ToArray()));
                }
            }
        }

        return next;
    }

    private static PartitionLog Log(Topic topic) =>
        topic.Partition(0) ?? throw new InvalidOperationException($"{Name} has no partition 0.");
}
