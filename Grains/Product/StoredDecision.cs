using System.Globalization;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// Whether a stored product state holds the decision about one input message: the question the ingest's rollback
/// check asks (<see cref="IProductGrain.HoldsDecisionAsync"/>) of the messages whose offsets the group committed.
/// </summary>
public static class StoredDecision
{
    /// <summary>
    /// True when the state's offset watermark of the message's topic-partition reached it and its window holds the
    /// decision at that position (with that eventId) — or no longer can: the window is full and holds nothing of that
    /// topic-partition older than the message, so the decision may have been evicted since.
    /// </summary>
    /// <remarks>
    /// The watermark alone does not do: once storage went back and the ingest went on, newer messages of the partition
    /// move a product's watermark past decisions its stored state never got. Those stay missing from the window, and
    /// the window keeps decisions in the order they were made, so an older message of the same topic-partition still
    /// in it (or a window that never evicted anything) proves that this one would be there too. Messages rejected as
    /// invalid content are never remembered and are not to be asked about.
    /// </remarks>
    public static bool Holds(ProductState state, string eventId, EventPosition position, int windowCapacity)
    {
        ArgumentNullException.ThrowIfNull(state);
        var key = string.Create(CultureInfo.InvariantCulture, $"{position.Topic}/{position.Partition}");
        if (!state.Offsets.TryGetValue(key, out var watermark) || watermark < position.Offset)
        {
            return false;
        }

        var olderOfItsPartition = false;
        foreach (var seen in state.Window)
        {
            if (seen.IsAt(position))
            {
                return string.Equals(seen.EventId, eventId, StringComparison.Ordinal);
            }

            olderOfItsPartition |= seen.Offset < position.Offset && seen.Partition == position.Partition
                && string.Equals(seen.Topic, position.Topic, StringComparison.Ordinal);
        }

        return !olderOfItsPartition && state.Window.Count >= windowCapacity;
    }
}
