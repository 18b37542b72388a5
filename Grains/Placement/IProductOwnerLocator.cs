namespace InventoryOrleans.Grains.Placement;

/// <summary>Which silo consumes a product's partition right now, as far as this silo knows.</summary>
public interface IProductOwnerLocator
{
    /// <summary>The silo that consumes <paramref name="productId"/>'s partition, or null when unknown.</summary>
    SiloAddress? OwnerOf(string productId);
}
