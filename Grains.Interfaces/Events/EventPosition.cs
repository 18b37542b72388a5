namespace InventoryOrleans.Grains.Interfaces;

/// <summary>Where an event was read: its input topic-partition and offset (the redelivery watermark key).</summary>
public readonly record struct EventPosition(string Topic, int Partition, long Offset);
