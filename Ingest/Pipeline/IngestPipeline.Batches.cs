using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Tracing;
using InventoryOrleans.Ingest.Transactions;

namespace InventoryOrleans.Ingest.Pipeline;

// One batch through apply → one transaction (records, input offsets, publication marks), with the outage and failure paths.
public sealed partial class IngestPipeline
{
    // The one broker request that reads publication marks, on the consumer's thread. Kafka answers it only once no
    // transaction of the partition is pending, which takes at most the transaction timeout.
    private TimeSpan MarkLookupTimeout => TimeSpan.FromMilliseconds(_options.TransactionTimeoutMs + 5_000);

    // Drives one batch to the end. A failure before anything went out retries what is left; a transaction that did not
    // commit is tried again whole in a new publication attempt, with the same messages (Kafka keeps them unchanged, so
    // that is re-reading them from the committed offsets), and the grains answer them as redeliveries. With
    // overlap, it returns once the batch's transaction is begun: FinishCommitting takes its outcome (and any retry)
    // before the next batch's transaction begins. A failed attempt is always retried without overlap.
    private void Complete(IngestBatch batch, bool overlap = false, StepResult? first = null)
    {
        var previous = _inFlight;
        _inFlight = batch;
        try
        {
            var backoff = TimeSpan.FromMilliseconds(_options.RetryBackoffInitialMs);
            var started = _time.GetTimestamp();
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
                        _epochs.Failed(batch.Partitions);
                        RequeueExpiries(batch);
                        ReadAgainFrom(batch);
                        Log.CommitRefused(_logger, step.Problem);
                        return;
                    case StepStatus.NotCommitted:
                    case StepStatus.Fenced:
                        _epochs.Failed(batch.Partitions);
                        batch.NewAttempt();
                        _metrics.RecordExpiryPublishFailures(batch.Expiries.Count);
                        Log.NotCommitted(_logger, step.Problem, batch.Messages.Count, batch.Expiries.Count);
                        break;
                    case StepStatus.Unknown:
                        _epochs.Forget(batch.Partitions);
                        batch.OutcomeUnknown = true;
                        Log.OutcomeUnknown(_logger, step.Problem);
                        break;
                }

                // Publishing that fails pauses as an outage does, whatever the error: a refusal that repeats (a topic
                // deleted, records too large) must show in /readyz too, and while paused nothing more is read into
                // memory behind the batch. A fenced attempt is not a failure of this silo's: tried again at once.
                if (step.Outage || step.Status is StepStatus.Retry or StepStatus.NotCommitted or StepStatus.Unknown)
                {
                    Outage(step, batch);
                }

                var waited = _time.GetElapsedTime(started);
                if ((_inCallback && waited > TimeSpan.FromMilliseconds(_options.MaxPollIntervalMs / 2.0))
                    || (_stopping.IsCancellationRequested && waited > StopGiveUp))
                {
                    // The group (rebalance) or the host (stop) will not wait forever: give the batch up uncommitted; the next owner replays it.
                    batch.Finished = true;
                    _epochs.Forget(batch.Partitions);
                    RequeueExpiries(batch);
                    ReadAgainFrom(batch);
                    Log.GaveUpInRebalance(_logger, batch.Messages.Count);
                    return;
                }

                Wait(backoff);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromMilliseconds(_options.RetryBackoffMaxMs).Ticks));
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
        var from = new Dictionary<TopicPartition, long>();
        Earliest(from, dropped.Messages);
        if (_behind is { Finished: false } behind)
        {
            behind.Finished = true;
            RequeueExpiries(behind);
            Earliest(from, behind.Messages);
        }

        Earliest(from, _collecting);
        Earliest(from, _carry);
        _collecting.Clear();
        _carry.Clear();
        foreach (var (partition, offset) in from)
        {
            _nextOffsets[partition] = offset;
            TrySeek(new TopicPartitionOffset(partition, offset));
        }

        static void Earliest(Dictionary<TopicPartition, long> from, IEnumerable<ConsumeResult<byte[], byte[]>> messages)
        {
            foreach (var message in messages)
            {
                if (!from.TryGetValue(message.TopicPartition, out var offset) || message.Offset.Value < offset)
                {
                    from[message.TopicPartition] = message.Offset.Value;
                }
            }
        }
    }

    // A committed batch: counted, its expiry products told, and an outage it recovered from ended.
    private void Committed(IngestBatch batch)
    {
        batch.Trace?.Committed();
        batch.Finished = true;
        _processor.RecordCommitted(batch);
        _metrics.RecordBatch(batch.Messages.Count, _time.GetElapsedTime(batch.StartedAt));
        ConfirmExpiries(batch);
        Recovered();
    }

    // Whether the next batch may be applied while this one's transaction runs: only a transactional committer can, and
    // not inside a rebalance callback or a stop, which must leave nothing on its way.
    private bool CanOverlap => _options.OverlapBatches && _committer.CanOverlap && !_inCallback && !_stopping.IsCancellationRequested;

    // Takes the outcome of the batch whose transaction is on its way (waiting for it). When it did not commit, the
    // batch applied after it (next) cannot commit either: its attempts were numbered after that one's in the same
    // epochs, which end now. It starts over in a new attempt once the failed batch is driven to its end here, without
    // overlap. Returns whether the batch committed (or nothing was on its way).
    private bool FinishCommitting(IngestBatch? next)
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
            _epochs.Failed(next.Tickets.Keys);
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
        ThrowIfKilled();
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
            var settled = SettleUnknownOutcome(batch);
            if (settled.Status != StepStatus.NotCommitted)
            {
                return settled;
            }
        }

        var opened = OpenTickets(batch);
        if (opened.Status != StepStatus.Done)
        {
            return opened;
        }

        // The stages run on the thread pool; this thread only waits (it owns the consumer).
        var stageStarted = _time.GetTimestamp();
        var applied = BlockingWait.For(_processor.ApplyAsync(batch, _kill.Token));
        if (applied.Status == StepStatus.Done && batch.Expiries.Count > 0)
        {
            applied = BlockingWait.For(_processor.PrepareExpiriesAsync(batch, _kill.Token));
        }

        _metrics.RecordStage(IngestStage.Apply, _time.GetElapsedTime(stageStarted));
        if (applied.Status != StepStatus.Done)
        {
            return applied;
        }

        foreach (var fault in _faults)
        {
            fault.AfterApplied();
        }

        ThrowIfKilled();

        // Attempts commit in the order they were numbered: the batch before this one ends first.
        if (!FinishCommitting(next: batch))
        {
            return new StepResult(StepStatus.Restart);
        }

        var records = batch.Records();
        var offsets = batch.CommitOffsets();
        foreach (var (partition, ticket) in batch.Tickets)
        {
            offsets.Add(new TopicPartitionOffset(PublicationEpochs.MarksOf(partition), new PublicationMark(ticket.Epoch, ticket.Attempt).ToOffset()));
        }

        // Rollback check: the batch's grain writes are acknowledged; their progress is recorded before the offsets commit.
        if (BlockingWait.For(_rollback.RecordProgressAsync(batch.CommitOffsets(), _kill.Token)) is { } notRecorded)
        {
            return new StepResult(StepStatus.Retry, notRecorded, StorageProblem: true);
        }

        ThrowIfKilled();
        using var publishing = batch.Trace?.StartPublish(records.Count);
        if (overlap)
        {
            // Consume and apply go on with the next batch while this one publishes and commits.
            _committing = (batch, _committer.Begin(records, offsets, _consumer!, _kill.Token).TracedBy(publishing));
            return new StepResult(StepStatus.Committing);
        }

        return Outcome(_committer.Commit(records, offsets, _consumer!, _kill.Token).TracedBy(publishing), batch);
    }

    private StepResult Outcome(CommitResult result, IngestBatch batch)
    {
        switch (result.Status)
        {
            case CommitStatus.Committed:
                _epochs.Committed(batch.Tickets.Values);
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
        var started = _time.GetTimestamp();
        var lookup = BlockingWait.For(_decoder.LookUpAsync(batch.Messages, _kill.Token));
        if (lookup.Outage is { } outage)
        {
            return new StepResult(StepStatus.Retry, outage, RegistryProblem: true);
        }

        batch.Decode(_decoder, lookup);
        _metrics.RecordStage(IngestStage.Parse, _time.GetElapsedTime(started));
        foreach (var (productId, events) in batch.ByProduct)
        {
            _ownership.Observe(productId, events[0].Position!.Value.Partition);
        }

        return StepResult.Done;
    }

    // Gives each partition of the batch its publication ticket, opening an epoch where none is open: after the end this
    // silo knows (its own failed attempt), or after the partition's stable mark in Kafka (a new owner, or an unknown end).
    private StepResult OpenTickets(IngestBatch batch)
    {
        var missing = batch.Partitions.Where(p => !batch.Tickets.ContainsKey(p)).ToList();
        if (missing.Count == 0)
        {
            return StepResult.Done;
        }

        // An epoch whose last attempt number is on its way ends once that commits; the next epoch numbers this batch.
        if (missing.Any(p => _epochs.IsOpen(p) && !_epochs.CanIssue(p)) && !FinishCommitting(next: batch))
        {
            return new StepResult(StepStatus.Restart);
        }

        var ends = new Dictionary<int, PublicationMark>();
        var fromKafka = new List<int>();
        foreach (var partition in missing.Where(p => !_epochs.IsOpen(p)))
        {
            if (_epochs.TryGetKnownEnd(partition, out var known))
            {
                ends[partition] = known;
            }
            else
            {
                fromKafka.Add(partition);
            }
        }

        if (fromKafka.Count > 0)
        {
            var read = ReadMarks(fromKafka, ends);
            if (read.Status != StepStatus.Done)
            {
                return read;
            }
        }

        try
        {
            foreach (var (partition, ended) in ends)
            {
                BlockingWait.For(_epochs.OpenAsync(partition, ended, _kill.Token));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !Killed)
        {
            return new StepResult(StepStatus.Retry, $"opening publication epochs in Redis: {e.GetType().Name}: {e.Message}", StorageProblem: true);
        }

        foreach (var partition in missing)
        {
            batch.Tickets[partition] = _epochs.Ticket(partition);
        }

        return StepResult.Done;
    }

    // The last committed publication mark of each partition, as Kafka holds it once no transaction of it is pending.
    private StepResult ReadMarks(List<int> partitions, Dictionary<int, PublicationMark> marks)
    {
        try
        {
            foreach (var committed in _consumer!.Committed(partitions.Select(PublicationEpochs.MarksOf), MarkLookupTimeout))
            {
                marks[committed.Partition.Value] = PublicationMark.FromOffset(committed.Offset.Value);
            }

            return StepResult.Done;
        }
        catch (KafkaException e)
        {
            return new StepResult(StepStatus.Retry, $"reading publication marks: {e.Error.Reason}");
        }
    }

    // After a commit of unknown outcome the marks tell: every partition of a transaction commits with it, or none does.
    private StepResult SettleUnknownOutcome(IngestBatch batch)
    {
        if (!_committer.FencePrevious())
        {
            return new StepResult(StepStatus.Retry, "fencing the transactional producer of a commit of unknown outcome");
        }

        var marks = new Dictionary<int, PublicationMark>();
        var read = ReadMarks([.. batch.Tickets.Keys], marks);
        if (read.Status != StepStatus.Done)
        {
            return read;
        }

        batch.OutcomeUnknown = false;
        var committed = batch.Tickets.Any(t => marks.TryGetValue(t.Key, out var mark) && mark == new PublicationMark(t.Value.Epoch, t.Value.Attempt));
        Log.OutcomeSettled(_logger, committed);
        if (committed)
        {
            return StepResult.Done;
        }

        batch.NewAttempt();
        return new StepResult(StepStatus.NotCommitted);
    }

    // The grains of expiry products published in a committed transaction learn it now (else at their next reminder),
    // so their reminders move on. Not awaited: the next batch need not wait for it.
    private void ConfirmExpiries(IngestBatch batch)
    {
        foreach (var (productId, partition) in batch.Expiries)
        {
            var ticket = batch.Tickets[partition];
            _ = _grains.GetProductGrain(productId).PublishedAsync(ticket.AfterCommit(ticket.Attempt));
        }
    }

    // Expiry products of a batch that did not commit are published with a later one.
    private void RequeueExpiries(IngestBatch batch)
    {
        _metrics.RecordExpiryPublishFailures(batch.Expiries.Count);
        foreach (var (productId, _) in batch.Expiries)
        {
            _expiries.Enqueue(productId);
        }
    }

    // First failure of a run of failures: pause the partitions, report not-ready and log once. Readiness also tells how
    // many expiry releases wait: they go out only in this silo's transactions.
    private void Outage(StepResult step, IngestBatch batch)
    {
        _health.SetExpiriesWaiting(_expiries.Count + batch.Expiries.Count(e => !_expiries.Contains(e.ProductId)));
        var changed = step.StorageProblem ? _health.SetStorageProblem(step.Problem)
            : step.RegistryProblem ? _health.SetRegistryProblem(step.Problem)
            : _health.SetBrokerProblem(step.Problem);
        var cause = step.StorageProblem ? "storage" : step.RegistryProblem ? "registry" : "broker";
        var paused = _health.SetPaused(step.Problem);
        if (paused)
        {
            _metrics.RecordPaused(cause);
        }

        if (paused || changed)
        {
            Log.Paused(_logger, cause, step.Problem);
        }

        if (!_paused && !_inCallback)
        {
            _paused = true;
            TryPause(_consumer!.Assignment);
        }
    }

    private void Recovered()
    {
        var storage = _health.SetStorageProblem(null);
        var broker = _health.SetBrokerProblem(null);
        var registry = _health.SetRegistryProblem(null);
        var resumed = _health.SetPaused(null);
        _health.SetExpiriesWaiting(0);
        if (resumed)
        {
            _metrics.RecordResumed();
        }

        if (resumed || storage || broker || registry)
        {
            Log.Resumed(_logger);
        }

        if (_paused && !_inCallback)
        {
            ResumeConsumption();
        }
    }

    private void ResumeConsumption()
    {
        _paused = false;
        var inputs = InputAssignment();
        _consumer!.Resume(inputs);

        // Continue exactly after the last message handed to the loop, whatever was prefetched before the pause.
        foreach (var partition in inputs)
        {
            if (_nextOffsets.TryGetValue(partition, out var next))
            {
                TrySeek(new TopicPartitionOffset(partition, next));
            }
        }
    }

    // Waits out a backoff. Outside a rebalance callback the consumer keeps being polled (paused, so it returns
    // nothing new) so that heartbeats, rebalances and the poll interval are served during an outage.
    private void Wait(TimeSpan backoff)
    {
        if (_inCallback)
        {
            Task.Delay(backoff, _time, _kill.Token).GetAwaiter().GetResult();
            return;
        }

        var started = _time.GetTimestamp();
        while (!_inFlight!.Finished)
        {
            var left = backoff - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            ThrowIfKilled();
            var message = Poll(left);
            if (message is not null)
            {
                // Fetched before the pause took hold: it belongs after the batch in flight.
                _carry.Add(message);
            }

            if (_paused)
            {
                TryPause(_consumer!.Assignment);
            }
        }
    }
}
