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
/// <remarks>
/// Only those exceptions are remembered: a product read from the partition murmur2 gives it (every product of a
/// producer keeping the contract) costs nothing here. And only for partitions this silo owns: the products of a
/// partition that was revoked or lost are forgotten once their grains are deactivated (<see cref="Forget"/>). So what
/// it holds is bounded by the products of its own partitions that a producer sent elsewhere than murmur2 would — each
/// one a product whose state (kilobytes, in Redis) the system keeps anyway. It cannot drop one of those early: the
/// partition it answers decides which silo publishes the product's expiry releases, and in which partition's
/// transactions.
/// </remarks>
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

    /// <summary>Products whose partition is remembered: read from another partition than murmur2 gives them.</summary>
    public int Remembered => _observed.Count;

    /// <summary>Records the partition a product's event was read from.</summary>
    public void Observe(string productId, int partition)
    {
        var count = PartitionCount;
        if (count > 0 && Murmur2Partitioner.Partition(productId, count) == partition)
        {
            // The default answer already: nothing to remember (and an exception remembered before no longer holds).
            _observed.TryRemove(productId, out _);
        }
        else if (!_observed.TryGetValue(productId, out var known) || known != partition)
        {
            _observed[productId] = partition;
        }
    }

    /// <summary>
    /// Forgets the products observed in <paramref name="partitions"/> (revoked or lost, and their grains deactivated:
    /// deactivation still needs to know which products were theirs).
    /// </summary>
    public void Forget(IReadOnlySet<int> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        if (partitions.Count == 0)
        {
            return;
        }

        foreach (var (productId, partition) in _observed)
        {
            if (partitions.Contains(partition))
            {
                _observed.TryRemove(new KeyValuePair<string, int>(productId, partition));
            }
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

    /// <summary>Owns nothing and remembers nothing (the ingest loop stopped).</summary>
    public void Clear()
    {
        Volatile.Write(ref _owned, []);
        _observed.Clear();
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
