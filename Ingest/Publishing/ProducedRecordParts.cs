using System.Collections.Concurrent;
using Confluent.Kafka;

namespace InventoryOrleans.Ingest.Publishing;

/// <summary>
/// Parts of a produced record that Confluent.Kafka would otherwise allocate for every record, and every event produces
/// at least one (its outcome).
/// </summary>
internal static class ProducedRecordParts
{
    private static readonly ConcurrentDictionary<string, TopicPartition> ByTopic = new(StringComparer.Ordinal);

    /// <summary>"Any partition of this topic" (the partitioner picks one by key), one instance per topic: producing by
    /// topic name makes a new <see cref="TopicPartition"/> per record. The output topics are few, so the cache stays small.</summary>
    public static TopicPartition AnyPartitionOf(string topic) => ByTopic.GetOrAdd(topic, static name => new TopicPartition(name, Partition.Any));

    /// <summary>
    /// The headers of a record that has none. Confluent.Kafka makes an empty <see cref="Headers"/> for every record
    /// produced without; this one is shared, read only: the byte-array serializers of the output producers add none.
    /// </summary>
    public static Headers NoHeaders { get; } = [];
}
