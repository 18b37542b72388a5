using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Ingest.Pipeline;

// The consumer group callbacks: assignment, revocation (finish the batch, then deactivate) and loss.
public sealed partial class IngestPipeline
{
    private static readonly TimeSpan DeactivationGiveUp = TimeSpan.FromSeconds(10);

    private void OnAssigned(List<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _nextOffsets.Remove(partition);
            _committedAtAssignment.Remove(partition);
        }

        var numbers = partitions.Where(p => Topics.Inputs.Contains(p.Topic)).Select(p => p.Partition.Value).ToHashSet();

        // The eager protocol revokes everything on every rebalance; only what did not come back is really gone.
        // Its grains are dropped before the new assignment is published, so whoever sees this silo own its new
        // partitions (readiness, the API, tests) never sees it still holding the ones that left.
        _revokedAwaitingAssignment.ExceptWith(numbers);
        Deactivate(_revokedAwaitingAssignment);
        _revokedAwaitingAssignment.Clear();

        _ownership.Add(numbers);
        _health.SetAssignedPartitions(_ownership.Owned.Count);
        Log.Assigned(_logger, partitions.Count, string.Join(",", numbers.Order()));
    }

    // Eager rebalance: finish what was consumed (persist, publish, commit) while the partitions are still ours.
    // The activations of products that move away are dropped once the new assignment shows which partitions did
    // (their state is persisted by then, so keeping them a moment longer is harmless); the next owner reloads them.
    private void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        Log.Revoked(_logger, partitions.Count);
        RunInCallback(() =>
        {
            if (_inFlight is { Finished: false } inFlight)
            {
                Complete(inFlight);
            }

            FlushCollected();
        });
        _revokedAwaitingAssignment.UnionWith(ForgetPartitions(partitions.Select(p => p.TopicPartition).ToList()));
    }

    // Lost (session timed out, fenced): the partitions are someone else's already; nothing may be committed.
    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        Log.Lost(_logger, partitions.Count);
        if (_inFlight is not null)
        {
            _inFlight.Finished = true;
        }

        _collecting.Clear();
        Deactivate(ForgetPartitions(partitions.Select(p => p.TopicPartition).ToList()));
    }

    // Drops local bookkeeping of the partitions; returns their partition numbers.
    private HashSet<int> ForgetPartitions(List<TopicPartition> partitions)
    {
        var numbers = partitions.Where(p => Topics.Inputs.Contains(p.Topic)).Select(p => p.Partition.Value).ToHashSet();
        _carry.RemoveAll(m => partitions.Contains(m.TopicPartition));
        foreach (var partition in partitions)
        {
            _nextOffsets.Remove(partition);
            _committedAtAssignment.Remove(partition);
        }

        _ownership.Remove(numbers);
        _health.SetAssignedPartitions(_ownership.Owned.Count);
        _metrics.ClearLag();
        return numbers;
    }

    private void Deactivate(HashSet<int> partitions)
    {
        if (partitions.Count == 0 || Killed)
        {
            return;
        }

        var gone = partitions.ToHashSet();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_kill.Token);

        // An activation finishes its current call first; a rebalance callback does not wait longer than this for it.
        deadline.CancelAfter(DeactivationGiveUp);
        try
        {
            var count = BlockingWait.For(_activations.DeactivateAsync(
                productId => gone.Contains(_ownership.PartitionOf(productId)),
                "its Kafka partition moved to another silo",
                deadline.Token));
            Log.Deactivated(_logger, count, string.Join(",", gone.Order()));
        }
        catch (OperationCanceledException) when (Killed)
        {
        }
        catch (OperationCanceledException)
        {
            Log.DeactivationSlow(_logger, DeactivationGiveUp);
        }
    }

    private void RunInCallback(Action action)
    {
        var outer = _inCallback;
        _inCallback = true;
        try
        {
            action();
        }
        catch (OperationCanceledException) when (Killed)
        {
            // Unwinding a kill through librdkafka's callback is not allowed; the loop sees the kill right after.
        }
        finally
        {
            _inCallback = outer;
        }
    }

    private void OnError(Error error)
    {
        if (error.IsFatal)
        {
            Log.FatalConsumerError(_logger, error.Code, error.Reason);
        }
        else
        {
            Log.ConsumerError(_logger, error.Code, error.Reason);
        }
    }
}
