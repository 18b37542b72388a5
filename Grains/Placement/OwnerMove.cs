namespace InventoryOrleans.Grains.Placement;

/// <summary>
/// Whether a product activation should move to the silo that consumes its partition. A message that reached a silo
/// through a stale directory cache (the partition moved, the silo deactivated the grain, the new owner still had it
/// cached) re-creates the activation there, where every further call would cross silos. Asks once per activation.
/// </summary>
internal sealed class OwnerMove(IProductOwnerLocator owners)
{
    private bool _asked;

    /// <summary>The owner to move to, once, when it is not <paramref name="here"/>; else null.</summary>
    public SiloAddress? Due(string productId, SiloAddress? here)
    {
        if (_asked || owners.OwnerOf(productId) is not { } owner || owner.Equals(here))
        {
            return null;
        }

        _asked = true;
        return owner;
    }
}
