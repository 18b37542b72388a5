namespace InventoryOrleans.Grains.Interfaces;

/// <summary>An event with the position it was consumed from; <see cref="Position"/> is null for events not read from Kafka.</summary>
public sealed record PositionedEvent(InventoryEvent Event, EventPosition? Position);
