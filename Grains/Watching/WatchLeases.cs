using System.Collections.Concurrent;

namespace InventoryOrleans.Grains.Watching;

/// <summary>
/// The watch leases of the products watched through this silo, in memory. A watch writes nothing (docs/CONTRACTS.md: reading
/// or watching a product no applied event changed keeps nothing for it), so its lease lives in the activation and here:
/// a new activation of the product on this silo (after idle collection, a failed write's reload, a rebuild) goes on
/// publishing without waiting for the watcher's next renewal. Leases past their end are dropped as new ones come.
/// </summary>
public sealed class WatchLeases(TimeProvider time)
{
    // Expired leases are swept at most this often, so a sweep's cost is spread over the renewals of a whole period.
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _leases = new(StringComparer.Ordinal);
    private long _nextSweep = time.GetTimestamp();

    /// <summary>How many leases are held (expired ones until the next sweep).</summary>
    public int Count => _leases.Count;

    /// <summary>Extends the product's lease to <paramref name="until"/> (a lease never shrinks).</summary>
    public void Extend(string productId, DateTimeOffset until)
    {
        ArgumentException.ThrowIfNullOrEmpty(productId);
        _leases.AddOrUpdate(productId, until, (_, held) => held > until ? held : until);
        SweepWhenDue();
    }

    /// <summary>The end of the product's lease, or null when it has none that lasts until now.</summary>
    public DateTimeOffset? Until(string productId)
    {
        if (!_leases.TryGetValue(productId, out var until))
        {
            return null;
        }

        if (until >= time.GetUtcNow())
        {
            return until;
        }

        _leases.TryRemove(KeyValuePair.Create(productId, until));
        return null;
    }

    private void SweepWhenDue()
    {
        var now = time.GetTimestamp();
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)(SweepPeriod.TotalSeconds * time.TimestampFrequency), due) != due)
        {
            return;
        }

        var utcNow = time.GetUtcNow();
        foreach (var (productId, until) in _leases)
        {
            if (until < utcNow)
            {
                _leases.TryRemove(KeyValuePair.Create(productId, until));
            }
        }
    }
}
