using Confluent.Kafka;
using InventoryOrleans.Ingest.Metrics;

namespace InventoryOrleans.Ingest.Pipeline;

// One batch through apply → publish → commit, with the outage and fencing paths.
public sealed partial class IngestPipeline
{
    // Drives one batch to the end: apply → publish → commit, retrying with backoff while storage or broker are out.
    private void Complete(IngestBatch batch)
    {
        var previous = _inFlight;
        _inFlight = batch;

        // Held from the first apply until the batch is finished (through outage retries), so no expiry sweep publishes
        // between this batch's grain changes and their records. A batch completed from inside a rebalance callback of
        // the outer one runs on this thread under the outer's hold.
        var outermost = previous is null;
        if (outermost)
        {
            _netStockGate.Enter(_kill.Token);
        }

        try
        {
            var backoff = TimeSpan.FromMilliseconds(_options.RetryBackoffInitialMs);
            var started = _time.GetTimestamp();
            while (!batch.Finished)
            {
                var step = Attempt(batch);
                switch (step.Status)
                {
                    case StepStatus.Done:
                        batch.Finished = true;
                        _metrics.RecordBatch(batch.Messages.Count, _time.GetElapsedTime(batch.StartedAt));
                        Recovered();
                        return;
                    case StepStatus.OwnershipLost:
                        batch.Finished = true;
                        Log.CommitRefused(_logger, step.Problem);
                        return;
                    case StepStatus.Fenced:
                        batch.Finished = true;
                        Log.Fenced(_logger, step.Problem);
                        Rewind(batch);
                        return;
                }

                Outage(step);
                var waited = _time.GetElapsedTime(started);
                if ((_inCallback && waited > TimeSpan.FromMilliseconds(_options.MaxPollIntervalMs / 2.0))
                    || (_stopping.IsCancellationRequested && waited > StopGiveUp))
                {
                    // The group (rebalance) or the host (stop) will not wait forever: give the batch up uncommitted; the next owner replays it.
                    batch.Finished = true;
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
            if (outermost)
            {
                _netStockGate.Exit();
            }
        }
    }

    private StepResult Attempt(IngestBatch batch)
    {
        ThrowIfKilled();

        // The stages run on the thread pool; this thread only waits (it owns the consumer).
        var stageStarted = _time.GetTimestamp();
        var applied = BlockingWait.For(_processor.ApplyAsync(batch, _kill.Token));
        _metrics.RecordStage(IngestStage.Apply, _time.GetElapsedTime(stageStarted));
        if (applied.Status == StepStatus.Fenced)
        {
            // What did persist is still this silo's work: publish it, then let the batch be re-read.
            ThrowIfKilled();
            BlockingWait.For(_processor.PublishAsync(batch, _kill.Token));
            return applied;
        }

        if (applied.Status != StepStatus.Done)
        {
            return applied;
        }

        BatchApplied?.Invoke();
        ThrowIfKilled();
        stageStarted = _time.GetTimestamp();
        var published = BlockingWait.For(_processor.PublishAsync(batch, _kill.Token));
        _metrics.RecordStage(IngestStage.Publish, _time.GetElapsedTime(stageStarted));
        if (published.Status != StepStatus.Done)
        {
            return published;
        }

        ThrowIfKilled();
        stageStarted = _time.GetTimestamp();
        var committed = Commit(batch);
        _metrics.RecordStage(IngestStage.Commit, _time.GetElapsedTime(stageStarted));
        return committed;
    }

    private StepResult Commit(IngestBatch batch)
    {
        var started = _time.GetTimestamp();
        KafkaException? failure = null;
        try
        {
            _consumer!.Commit(batch.CommitOffsets());
        }
        catch (KafkaException e)
        {
            failure = e;
        }

        _metrics.RecordCommit(_time.GetElapsedTime(started), failure?.Error.Code.ToString());
        return failure switch
        {
            null => StepResult.Done,
            TopicPartitionOffsetException e when e.Results.Any(r => BatchProcessor.IsOwnershipLost(new KafkaException(r.Error))) => new StepResult(StepStatus.OwnershipLost, e.Error.Reason),
            _ when BatchProcessor.IsOwnershipLost(failure) => new StepResult(StepStatus.OwnershipLost, failure.Error.Reason),
            _ => new StepResult(StepStatus.Retry, $"committing offsets: {failure.Error.Reason}"),
        };
    }

    // First failure of a run of failures: pause the partitions, report not-ready and log once.
    private void Outage(StepResult step)
    {
        var changed = step.StorageProblem ? _health.SetStorageProblem(step.Problem) : _health.SetBrokerProblem(step.Problem);
        var cause = step.StorageProblem ? "storage" : "broker";
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
        var resumed = _health.SetPaused(null);
        if (resumed)
        {
            _metrics.RecordResumed();
        }

        if (resumed || storage || broker)
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
        var assignment = _consumer!.Assignment;
        _consumer.Resume(assignment);

        // Continue exactly after the last message handed to the loop, whatever was prefetched before the pause.
        foreach (var partition in assignment)
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

    private void Rewind(IngestBatch batch)
    {
        var assigned = _consumer!.Assignment.ToHashSet();
        foreach (var first in batch.FirstOffsets())
        {
            _carry.RemoveAll(m => m.TopicPartition == first.TopicPartition);
            if (assigned.Contains(first.TopicPartition))
            {
                _nextOffsets[first.TopicPartition] = first.Offset.Value;
                TrySeek(first);
            }
        }
    }
}
