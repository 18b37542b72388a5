using Orleans.Placement;

namespace InventoryOrleans.Grains.Placement;

/// <summary>Marks a grain keyed by productId for <see cref="PartitionPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PartitionPlacementAttribute() : PlacementAttribute(PartitionPlacementStrategy.Singleton);
