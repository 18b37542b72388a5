namespace InventoryOrleans.Grains.Interfaces.Stats;

/// <summary>One point of the page's charts: the cluster's rate, messages read and lag at one moment.</summary>
[GenerateSerializer]
[Immutable]
[Alias("inventory.StatsSample")]
public sealed record StatsSample(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] double EventsPerSecond,
    [property: Id(2)] long Messages,
    [property: Id(3)] long TotalLag);
