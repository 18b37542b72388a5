using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Ingest.Pipeline;

// The consumer group callbacks: assignment, revocation (finish the batch, then deactivate) and loss.
public sealed partial class IngestPipeline
{
    private static readonly TimeSpan DeactivationGiveUp = TimeSpan.FromSeconds(10);

    // Returns where each partition starts: the inputs at the group's committed offsets, the publication marks at their
    // (empty) end, since their committed offsets are marks, not positions, and reading from one would fail.
    private IEnumerable<TopicPartitionOffset> OnAssigned(List<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _nextOffsets.Remove(partition);
            _committedAtAssignment.Remove(partition);
        }

        // Rollback check hook: checks, off this thread, that the stored state holds what the group committed (queued
        // before the assignment is published, so whoever sees it sees the check due).
        _rollback.Assigned(partitions);

        var numbers = partitions.Where(p => Topics.Inputs.Contains(p.Topic)).Select(p => p.Partition.Value).ToHashSet();

        // The publication marks are only committed to, never read: paused once assigned (on the next poll).
        _marksToPause.AddRange(partitions.Where(p => p.Topic == Topics.PublicationMarks));
        _epochs.Forget(numbers);

        // The eager protocol revokes everything on every rebalance; only what did not come back is really gone.
        // Its grains are dropped before the new assignment is published, so whoever sees this silo own its new
        // partitions (readiness, the API, tests) never sees it still holding the ones that left.
        _revokedAwaitingAssignment.ExceptWith(numbers);
        Deactivate(_revokedAwaitingAssignment);
        _ownership.Forget(_revokedAwaitingAssignment);
        _revokedAwaitingAssignment.Clear();

        _ownership.Add(numbers);
        _health.SetAssignedPartitions(_ownership.Owned.Count);
        Log.Assigned(_logger, partitions.Count, string.Join(",", numbers.Order()));
        return partitions.Select(p => new TopicPartitionOffset(p, p.Topic == Topics.PublicationMarks ? Offset.End : Offset.Unset));
    }

    // Eager rebalance: finish what was consumed (persist, publish, commit) while the partitions are still ours.
    // The activations of products that move away are dropped once the new assignment shows which partitions did
    // (their state is persisted by then, so keeping them a moment longer is harmless); the next owner reloads them.
    private void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        Log.Revoked(_logger, partitions.Count);
        RunInCallback(() =>
        {
            FinishCommitting(next: _inFlight);
            if (_inFlight is { Finished: false } inFlight)
            {
                Complete(inFlight);
            }

            if (_behind is { Finished: false } behind)
            {
                Complete(behind);
            }

            FlushCollected();
        });
        _revokedAwaitingAssignment.UnionWith(ForgetPartitions(partitions.Select(p => p.TopicPartition).ToList()));
    }

    // Lost (session timed out, fenced): the partitions are someone else's already; nothing may be committed (and
    // nothing can: the transaction's offsets carry this member's stale generation).
    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        Log.Lost(_logger, partitions.Count);
        if (_inFlight is not null)
        {
            _inFlight.Finished = true;
        }

        if (_behind is not null)
        {
            _behind.Finished = true;
        }

        if (_committing is { } committing)
        {
            // Its transaction is refused (this member's generation is stale) or, had it ended first, committed; either
            // way nothing of it is retried here, and the next transaction begins only once it is over.
            committing.Batch.Finished = true;
        }

        _collecting.Clear();
        var gone = ForgetPartitions(partitions.Select(p => p.TopicPartition).ToList());
        Deactivate(gone);
        _ownership.Forget(gone);
    }

    // Drops local bookkeeping of the partitions; returns their partition numbers. Which products were observed in them
    // is kept until their grains are deactivated (that needs it), then forgotten too.
    private HashSet<int> ForgetPartitions(List<TopicPartition> partitions)
    {
        var numbers = partitions.Where(p => Topics.Inputs.Contains(p.Topic)).Select(p => p.Partition.Value).ToHashSet();
        _carry.RemoveAll(m => partitions.Contains(m.TopicPartition));
        _marksToPause.RemoveAll(partitions.Contains);

        // librdkafka keeps an application's pause on a partition across assignments (a new assignment lifts only the
        // library's own pauses), and ResumeConsumption resumes only what is assigned at that moment. A partition paused
        // for an outage and then revoked or lost (a broker restart brings both at once) was never fetched again once it
        // was assigned back, so its offsets were never committed: the pause goes with the partition.
        TryResume(partitions);
        foreach (var partition in partitions)
        {
            _nextOffsets.Remove(partition);
            _committedAtAssignment.Remove(partition);
        }

        _ownership.Remove(numbers);
        _epochs.Forget(numbers);
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
