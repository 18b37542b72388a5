namespace InventoryOrleans.Grains.Interfaces.Stats;

/// <summary>Messages of one input topic-partition not consumed yet (high watermark − the consumer's position).</summary>
[GenerateSerializer]
[Immutable]
[Alias("inventory.PartitionLag")]
public sealed record PartitionLag(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Lag);
