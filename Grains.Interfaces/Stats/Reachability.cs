namespace InventoryOrleans.Grains.Interfaces.Stats;

/// <summary>Whether a silo reaches a dependency (Kafka, Redis), and what it found.</summary>
[GenerateSerializer]
[Immutable]
[Alias("inventory.Reachability")]
public sealed record Reachability(
    [property: Id(0)] bool Ok,
    [property: Id(1)] string Detail);
