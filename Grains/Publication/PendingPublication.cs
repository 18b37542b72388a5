namespace InventoryOrleans.Grains.Publication;

/// <summary>
/// Part of a product's stored state: its outputs up to <see cref="Version"/> went out in publication attempt
/// (<see cref="Epoch"/>, <see cref="Attempt"/>) of input partition <see cref="Partition"/>, not yet known committed.
/// </summary>
public sealed class PendingPublication
{
    public int Partition { get; set; }

    public long Epoch { get; set; }

    public long Attempt { get; set; }

    public long Version { get; set; }
}
