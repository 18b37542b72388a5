using System.Collections.Concurrent;
using System.Collections.Immutable;
using InventoryOrleans.Ingest.Kafka;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// Which input partitions this silo owns right now (the range assignor gives partition p of every input topic to one
/// silo, so a partition number stands for all three). A product belongs to the partition its events were read from;
/// before any was read, to murmur2(productId) % partitions — the same, unless a producer used another partitioner
/// (kcat's default is consistent_random), which is why what was observed wins.
/// </summary>
public sealed class PartitionOwnership
{
    private readonly ConcurrentDictionary<string, int> _observed = new(StringComparer.Ordinal);
    private ImmutableHashSet<int> _owned = [];
    private TaskCompletionSource _changed = NewSignal();
    private int _partitionCount;

    /// <summary>The input topics' partition count, known once the topics were checked at start.</summary>
    public int PartitionCount => Volatile.Read(ref _partitionCount);

    public IReadOnlySet<int> Owned => Volatile.Read(ref _owned);

    public void SetPartitionCount(int count) => Volatile.Write(ref _partitionCount, count);

    public int PartitionOf(string productId) =>
        _observed.TryGetValue(productId, out var partition) ? partition : Murmur2Partitioner.Partition(productId, PartitionCount);

    /// <summary>Records the partition a product's event was read from.</summary>
    public void Observe(string productId, int partition)
    {
        if (!_observed.TryGetValue(productId, out var known) || known != partition)
        {
            _observed[productId] = partition;
        }
    }

    /// <summary>Whether the product's partition is currently assigned to this silo.</summary>
    public bool Owns(string productId) => PartitionCount > 0 && Owned.Contains(PartitionOf(productId));

    public void Add(IEnumerable<int> partitions)
    {
        ImmutableInterlocked.Update(ref _owned, (set, added) => set.Union(added), partitions);
        Signal();
    }

    public void Remove(IEnumerable<int> partitions)
    {
        ImmutableInterlocked.Update(ref _owned, (set, removed) => set.Except(removed), partitions);
        Signal();
    }

    public void Clear()
    {
        Volatile.Write(ref _owned, []);
        Signal();
    }

    /// <summary>Completes when the owned partitions change, or after <paramref name="timeout"/>.</summary>
    public async Task WaitForChangeAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _changed).Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    private void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
