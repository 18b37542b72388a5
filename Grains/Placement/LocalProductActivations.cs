using System.Collections.Concurrent;

namespace InventoryOrleans.Grains.Placement;

/// <summary>
/// The product grains active on this silo, so the ingest can deactivate those whose partition moved to another silo
/// (their next call then activates them at the new owner, see <see cref="PartitionPlacementDirector"/>).
/// </summary>
public sealed class LocalProductActivations
{
    private readonly ConcurrentDictionary<string, IGrainContext> _active = new(StringComparer.Ordinal);

    /// <summary>How many product grains are active on this silo.</summary>
    public int Count => _active.Count;

    /// <summary>The productIds active on this silo.</summary>
    public ICollection<string> ProductIds => _active.Keys;

    /// <summary>Whether the product's grain is active on this silo.</summary>
    public bool IsActive(string productId) => _active.ContainsKey(productId);

    internal void Activated(string productId, IGrainContext context) => _active[productId] = context;

    internal void Deactivated(string productId, IGrainContext context) =>
        _active.TryRemove(new KeyValuePair<string, IGrainContext>(productId, context));

    /// <summary>Deactivates every active product grain <paramref name="select"/> picks and waits until they are gone (or <paramref name="cancellationToken"/> fires).</summary>
    /// <returns>How many were deactivated.</returns>
    public async Task<int> DeactivateAsync(Func<string, bool> select, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(select);
        var leaving = _active.Where(a => select(a.Key)).Select(a => a.Value).ToList();
        foreach (var context in leaving)
        {
            context.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, reason), cancellationToken);
        }

        await Task.WhenAll(leaving.Select(c => c.Deactivated)).WaitAsync(cancellationToken);
        return leaving.Count;
    }
}
