using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Placement;
using InventoryOrleans.Ingest.Transactions;
using InventoryOrleans.Ingest.Health;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Rollback;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// The consumer group's callbacks, run inside the consumer's poll: an assignment starts partitions afresh, a revocation
/// (the eager protocol revokes everything) finishes the batches on their way while the partitions are still this
/// silo's, a loss drops them uncommitted; the grains of partitions that really left are deactivated. Owns which
/// revoked partitions await the next assignment.
/// </summary>
internal sealed class RebalanceHandler(
    ConsumerLoop consumer,
    BatchRunner runner,
    PublicationEpochs epochs,
    LocalProductActivations activations,
    PartitionOwnership ownership,
    IngestHealth health,
    IngestMetrics metrics,
    RollbackDetector rollback,
    ILogger logger,
    CancellationToken kill)
{
    private static readonly TimeSpan DeactivationGiveUp = TimeSpan.FromSeconds(10);

    private readonly HashSet<int> _revokedAwaitingAssignment = [];

    private bool Killed => kill.IsCancellationRequested;

    // Returns where each partition starts: the inputs at the group's committed offsets, the publication marks at their
    // (empty) end, since their committed offsets are marks, not positions, and reading from one would fail.
    public IEnumerable<TopicPartitionOffset> OnAssigned(List<TopicPartition> partitions)
    {
        consumer.Assigned(partitions);

        // Rollback check hook: checks, off this thread, that the stored state holds what the group committed (queued
        // before the assignment is published, so whoever sees it sees the check due).
        rollback.Assigned(partitions);

        var numbers = partitions.Where(p => Topics.Inputs.Contains(p.Topic)).Select(p => p.Partition.Value).ToHashSet();

        epochs.Forget(numbers);

        // The eager protocol revokes everything on every rebalance; only what did not come back is really gone.
        // Its grains are dropped before the new assignment is published, so whoever sees this silo own its new
        // partitions (readiness, the API, tests) never sees it still holding the ones that left.
        _revokedAwaitingAssignment.ExceptWith(numbers);
        Deactivate(_revokedAwaitingAssignment);
        ownership.Forget(_revokedAwaitingAssignment);
        _revokedAwaitingAssignment.Clear();

        ownership.Add(numbers);
        health.SetAssignedPartitions(ownership.Owned.Count);
        IngestLog.Assigned(logger, partitions.Count, string.Join(",", numbers.Order()));
        return partitions.Select(p => new TopicPartitionOffset(p, p.Topic == Topics.PublicationMarks ? Offset.End : Offset.Unset));
    }

    // Eager rebalance: finish what was consumed (persist, publish, commit) while the partitions are still ours.
    // The activations of products that move away are dropped once the new assignment shows which partitions did
    // (their state is persisted by then, so keeping them a moment longer is harmless); the next owner reloads them.
    public void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        IngestLog.Revoked(logger, partitions.Count);
        consumer.RunInCallback(() =>
        {
            runner.FinishCommitting(next: runner.InFlight);
            if (runner.InFlight is { Finished: false } inFlight)
            {
                runner.Complete(inFlight);
            }

            if (runner.Behind is { Finished: false } behind)
            {
                runner.Complete(behind);
            }

            runner.FlushCollected();
        });
        _revokedAwaitingAssignment.UnionWith(ForgetPartitions(partitions.Select(p => p.TopicPartition).ToList()));
    }

    // Lost (session timed out, fenced): the partitions are someone else's already; nothing may be committed (and
    // nothing can: the transaction's offsets carry this member's stale generation).
    public void OnLost(List<TopicPartitionOffset> partitions)
    {
        IngestLog.Lost(logger, partitions.Count);
        runner.DropAll();
        consumer.DropCollecting();
        var gone = ForgetPartitions(partitions.Select(p => p.TopicPartition).ToList());
        Deactivate(gone);
        ownership.Forget(gone);
    }

    // Drops local bookkeeping of the partitions; returns their partition numbers. Which products were observed in them
    // is kept until their grains are deactivated (that needs it), then forgotten too.
    private HashSet<int> ForgetPartitions(List<TopicPartition> partitions)
    {
        var numbers = partitions.Where(p => Topics.Inputs.Contains(p.Topic)).Select(p => p.Partition.Value).ToHashSet();
        consumer.Forget(partitions);
        ownership.Remove(numbers);
        epochs.Forget(numbers);
        health.SetAssignedPartitions(ownership.Owned.Count);
        metrics.ClearLag();
        return numbers;
    }

    private void Deactivate(HashSet<int> partitions)
    {
        if (partitions.Count == 0 || Killed)
        {
            return;
        }

        var gone = partitions.ToHashSet();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(kill);

        // An activation finishes its current call first; a rebalance callback does not wait longer than this for it.
        deadline.CancelAfter(DeactivationGiveUp);
        try
        {
            var count = BlockingWait.For(activations.DeactivateAsync(
                productId => gone.Contains(ownership.PartitionOf(productId)),
                "its Kafka partition moved to another silo",
                deadline.Token));
            IngestLog.Deactivated(logger, count, string.Join(",", gone.Order()));
        }
        catch (OperationCanceledException) when (Killed)
        {
        }
        catch (OperationCanceledException)
        {
            IngestLog.DeactivationSlow(logger, DeactivationGiveUp);
        }
    }

    public void OnError(Error error)
    {
        if (error.IsFatal)
        {
            IngestLog.FatalConsumerError(logger, error.Code, error.Reason);
        }
        else
        {
            IngestLog.ConsumerError(logger, error.Code, error.Reason);
        }
    }
}
