namespace InventoryOrleans.Grains.Product;

/// <summary>What <see cref="ProductRebuild.Replay"/> made: the state and where its decisions differ from the published ones.</summary>
public sealed record RebuiltProduct(ProductState State, IReadOnlyList<DecisionDifference> Differences);
