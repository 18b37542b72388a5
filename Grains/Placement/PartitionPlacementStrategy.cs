namespace InventoryOrleans.Grains.Placement;

/// <summary>
/// Places a product grain on the silo that consumes its Kafka partition, so the ingest's grain calls stay inside
/// that silo (see <see cref="PartitionPlacementDirector"/>).
/// </summary>
[GenerateSerializer]
[Alias("inventory.PartitionPlacementStrategy")]
public sealed class PartitionPlacementStrategy : PlacementStrategy
{
    internal static PartitionPlacementStrategy Singleton { get; } = new();
}
