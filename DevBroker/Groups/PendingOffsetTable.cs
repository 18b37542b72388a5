namespace InventoryOrleans.DevBroker.Groups;

/// <summary>A group's offsets committed inside transactions that have not ended yet, by producer id: applied when the
/// transaction commits, dropped when it aborts.</summary>
public sealed class PendingOffsetTable
{
    private readonly Dictionary<long, Dictionary<(string Topic, int Partition), CommittedOffset>> _byProducer = [];

    public int Count => _byProducer.Count;

    /// <summary>Every producer's pending offsets (for snapshots of the offsets log).</summary>
    public IEnumerable<(long ProducerId, IReadOnlyList<CommittedOffset> Offsets)> All =>
        _byProducer.Select(p => (p.Key, (IReadOnlyList<CommittedOffset>)[.. p.Value.Values]));

    public void Add(long producerId, IEnumerable<CommittedOffset> offsets)
    {
        if (!_byProducer.TryGetValue(producerId, out var pending))
        {
            pending = [];
            _byProducer[producerId] = pending;
        }

        foreach (var offset in offsets)
        {
            pending[(offset.Topic, offset.Partition)] = offset;
        }
    }

    public bool HasAny(long producerId) => _byProducer.ContainsKey(producerId);

    /// <summary>Removes and returns the producer's pending offsets (empty when it has none).</summary>
    public IReadOnlyList<CommittedOffset> Take(long producerId) =>
        _byProducer.Remove(producerId, out var pending) ? [.. pending.Values] : [];

    /// <summary>True while any open transaction holds an offset for the partition.</summary>
    public bool IsPending(string topic, int partition)
    {
        foreach (var pending in _byProducer.Values)
        {
            if (pending.ContainsKey((topic, partition)))
            {
                return true;
            }
        }

        return false;
    }
}
