using System.Collections.Immutable;

namespace InventoryOrleans.Grains.Interfaces.Placement;

/// <summary>Partition number → the silo that last reported consuming it.</summary>
[GenerateSerializer]
[Immutable]
[Alias("inventory.PartitionMap")]
public sealed record PartitionMap([property: Id(0)] ImmutableDictionary<int, SiloAddress> Owners)
{
    public static PartitionMap Empty { get; } = new(ImmutableDictionary<int, SiloAddress>.Empty);
}
