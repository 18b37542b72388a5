using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Ingest.Decoding;
using InventoryOrleans.Ingest.Expiry;
using InventoryOrleans.Ingest.Health;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Rollback;
using InventoryOrleans.Ingest.Tracing;
using InventoryOrleans.Ingest.Transactions;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// Drives each batch to its end: decode → publication tickets (<see cref="PublicationTickets"/>) → apply to the grains
/// (<see cref="BatchProcessor"/>) → rollback progress → one Kafka transaction with the records, input offsets and
/// publication marks. Owns the batch in flight, the one whose transaction runs meanwhile (overlap) and the one applied
/// behind it, and the outage and failure paths: a batch that did not commit is tried again whole, or given up
/// uncommitted for the next owner.
/// </summary>
internal sealed class BatchRunner(
    KafkaOptions options,
    ConsumerLoop consumer,
    BatchProcessor processor,
    InputDecoder decoder,
    IBatchCommitter committer,
    PublicationEpochs epochs,
    PublicationTickets tickets,
    BatchExpiries expiries,
    OutageTracker outages,
    PartitionOwnership ownership,
    IngestMetrics metrics,
    RollbackDetector rollback,
    IBatchFaultInjector[] faults,
    TimeProvider time,
    ILogger logger,
    CancellationToken kill) : IDisposable
{
    // A stop during an outage does not wait forever: the batch stays uncommitted and the next owner replays it.
    private static readonly TimeSpan StopGiveUp = TimeSpan.FromSeconds(5);

    private IngestBatch? _inFlight;

    // The batch whose transaction runs on the committer's worker while the next one is consumed and applied.
    private (IngestBatch Batch, PendingCommit Commit)? _committing;

    // A batch applied after one that did not commit, waiting to start over while that one is retried.
    private IngestBatch? _behind;

    /// <summary>The host's stop: a batch is then finished without overlap, and given up after a while in an outage.</summary>
    public CancellationToken Stopping { get; set; }

    /// <summary>The batch being driven to its end, if any.</summary>
    public IngestBatch? InFlight => _inFlight;

    /// <summary>A batch applied behind one that did not commit, waiting to start over.</summary>
    public IngestBatch? Behind => _behind;

    /// <summary>Whether a batch's transaction is on its way, its outcome not known yet.</summary>
    public bool CommitPending => _committing is { } pending && !pending.Commit.IsCompleted;

    /// <summary>
    /// Makes a batch of what the consumer collected and the queued expiry products, and drives it (with overlap when it
    /// may); with nothing to apply, finishes the batch on its way.
    /// </summary>
    public void FlushCollected()
    {
        var due = expiries.Take();
        if (consumer.CollectedCount == 0 && due.Count == 0)
        {
            // Nothing to apply meanwhile: the batch on its way is finished now (its retry, should it need one, too).
            FinishCommitting(next: null);
            return;
        }

        var batch = new IngestBatch(consumer.TakeCollected(), due, time);
        foreach (var (topic, count) in batch.Messages.CountBy(m => m.Topic))
        {
            metrics.RecordConsumed(topic, count);
        }

        Complete(batch, overlap: CanOverlap);

        // A rebalance finished (or gave up) the batch while it waited; the new assignment starts unpaused.
        consumer.ResumeAfterOutage();
    }

    /// <summary>
    /// The partitions were lost: nothing of the batches in flight, behind or committing is retried here (the next owner
    /// replays them); a transaction on its way is refused or, had it ended first, committed.
    /// </summary>
    public void DropAll()
    {
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
    }

    /// <summary>A transaction left open by a kill is aborted by the broker (its timeout) or by this silo's next producer.</summary>
    public void Dispose() => committer.Dispose();

    // Drives one batch to the end. A failure before anything went out retries what is left; a transaction that did not
    // commit is tried again whole in a new publication attempt, with the same messages (Kafka keeps them unchanged, so
    // that is re-reading them from the committed offsets), and the grains answer them as redeliveries. With
    // overlap, it returns once the batch's transaction is begun: FinishCommitting takes its outcome (and any retry)
    // before the next batch's transaction begins. A failed attempt is always retried without overlap.
    public void Complete(IngestBatch batch, bool overlap = false, StepResult? first = null)
    {
        var previous = _inFlight;
        _inFlight = batch;
        try
        {
            var backoff = options.RetryBackoffInitial;
            var started = time.GetTimestamp();
            while (!batch.Finished)
            {
                var step = first ?? Attempt(batch, overlap);
                first = null;
                switch (step.Status)
                {
                    case StepStatus.Committing:
                        return;
                    case StepStatus.Restart:
                        continue;
                    case StepStatus.Done:
                        Committed(batch);
                        return;
                    case StepStatus.OwnershipLost:
                        batch.Finished = true;
                        epochs.Failed(batch.Partitions);
                        expiries.Requeue(batch);
                        ReadAgainFrom(batch);
                        IngestLog.CommitRefused(logger, step.Problem);
                        return;
                    case StepStatus.NotCommitted:
                    case StepStatus.Fenced:
                        epochs.Failed(batch.Partitions);
                        batch.NewAttempt();
                        metrics.RecordExpiryPublishFailures(batch.Expiries.Count);
                        IngestLog.NotCommitted(logger, step.Problem, batch.Messages.Count, batch.Expiries.Count);
                        break;
                    case StepStatus.Unknown:
                        epochs.Forget(batch.Partitions);
                        batch.OutcomeUnknown = true;
                        IngestLog.OutcomeUnknown(logger, step.Problem);
                        break;
                }

                // Publishing that fails pauses as an outage does, whatever the error: a refusal that repeats (a topic
                // deleted, records too large) must show in /readyz too, and while paused nothing more is read into
                // memory behind the batch. A fenced attempt is not a failure of this silo's: tried again at once.
                if (step.Outage || step.Status is StepStatus.Retry or StepStatus.NotCommitted or StepStatus.Unknown)
                {
                    outages.Failed(step, batch);
                }

                var waited = time.GetElapsedTime(started);
                if ((consumer.InCallback && waited > options.MaxPollInterval / 2)
                    || (Stopping.IsCancellationRequested && waited > StopGiveUp))
                {
                    // The group (rebalance) or the host (stop) will not wait forever: give the batch up uncommitted; the next owner replays it.
                    batch.Finished = true;
                    epochs.Forget(batch.Partitions);
                    expiries.Requeue(batch);
                    ReadAgainFrom(batch);
                    IngestLog.GaveUpInRebalance(logger, batch.Messages.Count);
                    return;
                }

                Wait(backoff);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.RetryBackoffMax.Ticks));
            }
        }
        finally
        {
            _inFlight = previous;
        }
    }

    // A batch that ends uncommitted leaves its input offsets where they were. Nothing read after it may commit before it
    // does (that would skip it for good): the batch applied behind it, what is collected and what is carried are dropped
    // too, and the consumer reads again from the batch's first message of each partition. If the partitions did leave,
    // their next owner starts from the committed offsets anyway. If they did not (a refusal no rebalance follows, or an
    // error taken for one: librdkafka's Local_State once was), this silo reads the messages again and its grains answer
    // them as redeliveries, in a new publication epoch.
    private void ReadAgainFrom(IngestBatch dropped)
    {
        List<IEnumerable<ConsumeResult<byte[], byte[]>>> from = [dropped.Messages];
        if (_behind is { Finished: false } behind)
        {
            behind.Finished = true;
            expiries.Requeue(behind);
            from.Add(behind.Messages);
        }

        consumer.ReadAgainFrom(from);
    }

    // A committed batch: counted, its expiry products told, and an outage it recovered from ended.
    private void Committed(IngestBatch batch)
    {
        batch.Trace?.Committed();
        batch.Finished = true;
        processor.RecordCommitted(batch);
        metrics.RecordBatch(batch.Messages.Count, time.GetElapsedTime(batch.StartedAt));
        expiries.Confirm(batch);
        outages.Recovered();
    }

    // Whether the next batch may be applied while this one's transaction runs: only a transactional committer can, and
    // not inside a rebalance callback or a stop, which must leave nothing on its way.
    private bool CanOverlap => options.OverlapBatches && committer.CanOverlap && !consumer.InCallback && !Stopping.IsCancellationRequested;

    // Takes the outcome of the batch whose transaction is on its way (waiting for it). When it did not commit, the
    // batch applied after it (next) cannot commit either: its attempts were numbered after that one's in the same
    // epochs, which end now. It starts over in a new attempt once the failed batch is driven to its end here, without
    // overlap. Returns whether the batch committed (or nothing was on its way).
    public bool FinishCommitting(IngestBatch? next)
    {
        if (_committing is not { } committing)
        {
            return true;
        }

        _committing = null;
        var step = Outcome(committing.Commit.Wait(), committing.Batch);
        if (step.Status == StepStatus.Done)
        {
            if (!committing.Batch.Finished)
            {
                Committed(committing.Batch);
            }

            return true;
        }

        if (next is { Finished: false } && next.Tickets.Count > 0)
        {
            epochs.Failed(next.Tickets.Keys);
            next.NewAttempt();
        }

        if (!committing.Batch.Finished)
        {
            // Lost with its partitions meanwhile (Finished): nothing is retried; the next owner replays it. While it is
            // retried here, a rebalance callback finishes the batch behind it too, in order.
            var outer = _behind;
            _behind = next;
            try
            {
                Complete(committing.Batch, first: step);
            }
            finally
            {
                _behind = outer;
            }
        }

        return false;
    }

    private StepResult Attempt(IngestBatch batch, bool overlap)
    {
        kill.ThrowIfCancellationRequested();
        if (!batch.Decoded)
        {
            var decoded = Decode(batch);
            if (decoded.Status != StepStatus.Done)
            {
                return decoded;
            }
        }

        if (batch.OutcomeUnknown)
        {
            var settled = tickets.SettleUnknownOutcome(batch);
            if (settled.Status != StepStatus.NotCommitted)
            {
                return settled;
            }

            // It did not commit after all: its expiry releases failed that attempt, as a refused commit's do.
            metrics.RecordExpiryPublishFailures(batch.Expiries.Count);
        }

        // An epoch whose last attempt number is on its way ends once that commits; the next epoch numbers this batch.
        if (tickets.NeedsCommitFirst(batch) && !FinishCommitting(next: batch))
        {
            return new StepResult(StepStatus.Restart);
        }

        var opened = tickets.Open(batch);
        if (opened.Status != StepStatus.Done)
        {
            return opened;
        }

        // The stages run on the thread pool; this thread only waits (it owns the consumer).
        var stageStarted = time.GetTimestamp();
        var applied = BlockingWait.For(processor.ApplyAsync(batch, kill));
        if (applied.Status == StepStatus.Done && batch.Expiries.Count > 0)
        {
            applied = BlockingWait.For(processor.PrepareExpiriesAsync(batch, kill));
        }

        metrics.RecordStage(IngestStage.Apply, time.GetElapsedTime(stageStarted));
        if (applied.Status != StepStatus.Done)
        {
            return applied;
        }

        foreach (var fault in faults)
        {
            fault.AfterApplied();
        }

        kill.ThrowIfCancellationRequested();

        // Attempts commit in the order they were numbered: the batch before this one ends first.
        if (!FinishCommitting(next: batch))
        {
            return new StepResult(StepStatus.Restart);
        }

        var records = batch.Records();
        var offsets = batch.CommitOffsets();
        PublicationTickets.AddMarks(batch, offsets);

        // Rollback check: the batch's grain writes are acknowledged; their progress is recorded before the offsets commit.
        if (BlockingWait.For(rollback.RecordProgressAsync(batch.CommitOffsets(), kill)) is { } notRecorded)
        {
            return new StepResult(StepStatus.Retry, notRecorded, StorageProblem: true);
        }

        kill.ThrowIfCancellationRequested();
        using var publishing = batch.Trace?.StartPublish(records.Count);
        if (overlap)
        {
            // Consume and apply go on with the next batch while this one publishes and commits.
            _committing = (batch, committer.Begin(records, offsets, consumer.Consumer, kill).TracedBy(publishing));
            return new StepResult(StepStatus.Committing);
        }

        return Outcome(committer.Commit(records, offsets, consumer.Consumer, kill).TracedBy(publishing), batch);
    }

    private StepResult Outcome(CommitResult result, IngestBatch batch)
    {
        switch (result.Status)
        {
            case CommitStatus.Committed:
                epochs.Committed(batch.Tickets.Values);
                return StepResult.Done;
            case CommitStatus.OwnershipLost:
                return new StepResult(StepStatus.OwnershipLost, result.Problem);
            case CommitStatus.Unknown:
                return new StepResult(StepStatus.Unknown, result.Problem, Outage: result.Outage);
            default:
                return new StepResult(StepStatus.NotCommitted, result.Problem, Outage: result.Outage);
        }
    }

    // Decodes the batch's messages once its Avro writer schemas are known. A registry that cannot be reached is an outage
    // like storage's (pause, retry with backoff, not ready): its messages are not dead-lettered for it.
    private StepResult Decode(IngestBatch batch)
    {
        var started = time.GetTimestamp();
        var lookup = BlockingWait.For(decoder.LookUpAsync(batch.Messages, kill));
        if (lookup.Outage is { } outage)
        {
            return new StepResult(StepStatus.Retry, outage, RegistryProblem: true);
        }

        batch.Decode(decoder, lookup);
        metrics.RecordStage(IngestStage.Parse, time.GetElapsedTime(started));
        foreach (var (productId, events) in batch.ByProduct)
        {
            ownership.Observe(productId, events[0].Position!.Value.Partition);
        }

        return StepResult.Done;
    }

    // Waits out a backoff. Outside a rebalance callback the consumer keeps being polled (paused, so it returns
    // nothing new) so that heartbeats, rebalances and the poll interval are served during an outage.
    private void Wait(TimeSpan backoff)
    {
        if (consumer.InCallback)
        {
            Task.Delay(backoff, time, kill).GetAwaiter().GetResult();
            return;
        }

        var started = time.GetTimestamp();
        while (!_inFlight!.Finished)
        {
            var left = backoff - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            kill.ThrowIfCancellationRequested();
            var message = consumer.Poll(left);
            if (message is not null)
            {
                // Fetched before the pause took hold: it belongs after the batch in flight.
                consumer.Carry(message);
            }

            consumer.KeepPaused();
        }
    }
}
