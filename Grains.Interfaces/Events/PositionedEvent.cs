namespace InventoryOrleans.Grains.Interfaces;

/// <summary>An event with the position it was consumed from; <see cref="Position"/> is null for events not read from Kafka.</summary>
[GenerateSerializer]
[Immutable]
[Alias("inventory.PositionedEvent")]
public sealed record PositionedEvent(
    [property: Id(0)] InventoryEvent Event,
    [property: Id(1)] EventPosition? Position);
