using InventoryOrleans.Grains.Expiry;

namespace InventoryOrleans.Ingest.Expiry;

/// <summary>
/// The products of this silo whose reservations expired and whose release is not known published yet. A product
/// grain's expiry reminder queues its product here (<see cref="IExpiryPublisher"/>); the ingest pipeline takes them and
/// publishes their stock in its own transactions, as the owner of their partition, and tells the grains once that
/// committed. Until then the reminder keeps firing and queuing, so a release is published even when this silo dies.
/// One entry per product, however often it is queued.
/// </summary>
public sealed class ExpiryQueue : IExpiryPublisher
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _due = new(StringComparer.Ordinal);

    /// <summary>Products waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _due.Count;
            }
        }
    }

    /// <summary>Whether <paramref name="productId"/> is waiting.</summary>
    public bool Contains(string productId)
    {
        lock (_gate)
        {
            return _due.Contains(productId);
        }
    }

    public void Enqueue(string productId)
    {
        ArgumentException.ThrowIfNullOrEmpty(productId);
        lock (_gate)
        {
            _due.Add(productId);
        }
    }

    /// <summary>Takes up to <paramref name="max"/> waiting products.</summary>
    public List<string> Take(int max)
    {
        lock (_gate)
        {
            var taken = new List<string>(Math.Min(max, _due.Count));
            foreach (var productId in _due)
            {
                if (taken.Count == max)
                {
                    break;
                }

                taken.Add(productId);
            }

            foreach (var productId in taken)
            {
                _due.Remove(productId);
            }

            return taken;
        }
    }
}
