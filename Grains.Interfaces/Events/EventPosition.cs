namespace InventoryOrleans.Grains.Interfaces;

/// <summary>Where an event was read: its input topic-partition and offset (the redelivery watermark key).</summary>
[GenerateSerializer]
[Immutable]
[Alias("inventory.EventPosition")]
public readonly record struct EventPosition(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset);
