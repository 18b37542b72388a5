using InventoryOrleans.DevBroker.Storage;

namespace InventoryOrleans.DevBroker.Cluster;

/// <summary>A topic: its partitions' logs and its configuration.</summary>
public sealed class Topic
{
    internal Topic(string name, Guid id, TopicConfig config, IReadOnlyList<PartitionLog> partitions)
    {
        Name = name;
        Id = id;
        Config = config;
        Partitions = partitions;
    }

    public string Name { get; }

    public Guid Id { get; }

    public TopicConfig Config { get; }

    public int PartitionCount => Partitions.Count;

    internal IReadOnlyList<PartitionLog> Partitions { get; }

    /// <summary>The partition's log, or null when the index is out of range.</summary>
    internal PartitionLog? Partition(int index) => index >= 0 && index < Partitions.Count ? Partitions[index] : null;

    /// <summary>Offset bounds of one partition (for tests and tools).</summary>
    public (long LogStartOffset, long HighWatermark) Offsets(int partition) =>
        (Partitions[partition].LogStartOffset, Partitions[partition].HighWatermark);
}
