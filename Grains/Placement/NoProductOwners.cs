namespace InventoryOrleans.Grains.Placement;

/// <summary>The locator of a silo that runs no ingest: nobody is known to own anything, so placement prefers the local silo.</summary>
internal sealed class NoProductOwners : IProductOwnerLocator
{
    public SiloAddress? OwnerOf(string productId) => null;
}
