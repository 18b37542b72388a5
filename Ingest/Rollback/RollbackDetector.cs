using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace InventoryOrleans.Ingest.Rollback;

/// <summary>
/// Finds products whose stored state went back behind what the consumer group committed — storage lost acknowledged
/// writes: restored from an older append-only file, a failover to a lagging replica — and reports each (a log line,
/// <c>inventory_state_rollbacks_total</c>, <see cref="Status"/> for <c>/readyz</c>) until its stored state holds the
/// lost decisions again (see the runbook in docs/operations.md, "State rolled back").
/// <para>
/// The pipeline records its progress through <see cref="RecordProgressAsync"/> before each commit
/// (<see cref="IngestProgressStore"/>) and tells of each assignment (<see cref="Assigned"/>). A topic-partition is
/// suspect when its stored progress, as it was before this silo's first write since the assignment, is below the
/// group's committed offset, or when a write finds less than this silo itself wrote (storage went back under it). The
/// suspect range, [progress, committed), is read from Kafka off the pipeline's thread and each product's last message
/// in it is asked of the product grain (<see cref="IProductGrain.HoldsDecisionAsync"/>): a product whose stored state
/// lacks that decision rolled back. A range found whole moves the progress up to its end.
/// </para>
/// </summary>
public sealed partial class RollbackDetector : BackgroundService
{
    private readonly IngestProgressStore _store;
    private readonly IGrainFactory _grains;
    private readonly RollbackCheckOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RollbackDetector> _logger;
    private readonly RollbackMetrics _metrics;
    private readonly PartitionRangeReader _reader;
    private readonly ResiliencePipeline _retry;
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });

    // Orders progress writes against the read of a baseline: a baseline read under it is from before this silo's
    // first write since the assignment, or that write's answer is the baseline.
    private readonly SemaphoreSlim _progressGate = new(1, 1);

    private readonly Lock _state = new();
    private readonly HashSet<TopicPartition> _awaitingBaseline = [];
    private readonly Dictionary<TopicPartition, long?> _baselines = [];
    private readonly Dictionary<TopicPartition, long> _lastWritten = [];
    private readonly HashSet<TopicPartition> _assigned = [];
    private readonly Dictionary<(TopicPartition Partition, string ProductId), RolledBackProduct> _rolledBack = [];
    private readonly Dictionary<TopicPartition, OffsetRange> _rolledBackRanges = [];
    private readonly HashSet<(TopicPartition Partition, string ProductId)> _counted = [];

    // Partitions with a check queued or running (a count each), so /readyz and tests can tell a check is due.
    private readonly Dictionary<TopicPartition, int> _checking = [];

    public RollbackDetector(
        IngestProgressStore store,
        IGrainFactory grains,
        IOptions<KafkaOptions> kafka,
        IOptions<RollbackCheckOptions> options,
        IMeterFactory meters,
        ResiliencePipelineProvider<string> pipelines,
        TimeProvider time,
        ILogger<RollbackDetector> logger)
    {
        ArgumentNullException.ThrowIfNull(pipelines);
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _grains = grains;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _metrics = new RollbackMetrics(meters);
        _reader = new PartitionRangeReader(kafka.Value, time);
        _retry = pipelines.GetPipeline(RollbackRetry.PipelineName);
    }

    /// <summary>What is rolled back and what is being checked, for <c>/readyz</c>.</summary>
    public RollbackStatus Status
    {
        get
        {
            lock (_state)
            {
                return new RollbackStatus(
                    [.. _rolledBack.Values.OrderBy(r => r.Topic, StringComparer.Ordinal).ThenBy(r => r.Partition).ThenBy(r => r.ProductId, StringComparer.Ordinal)],
                    [.. _checking.Keys.Select(IngestProgressStore.FieldOf).Order(StringComparer.Ordinal)]);
            }
        }
    }

    /// <summary>
    /// The pipeline's hook on each assignment (its consumer thread; returns at once): the partitions now consumed. Their
    /// check starts in the background; reports about partitions no longer consumed go to their new owner.
    /// </summary>
    public void Assigned(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var inputs = partitions.Where(p => Topics.Inputs.Contains(p.Topic)).ToList();
        lock (_state)
        {
            _assigned.Clear();
            _assigned.UnionWith(inputs);
            foreach (var partition in inputs)
            {
                _awaitingBaseline.Add(partition);
                _baselines.Remove(partition);
                _lastWritten.Remove(partition);
            }

            foreach (var gone in _rolledBack.Keys.Where(k => !_assigned.Contains(k.Partition)).ToList())
            {
                _rolledBack.Remove(gone);
            }

            foreach (var gone in _rolledBackRanges.Keys.Where(p => !_assigned.Contains(p)).ToList())
            {
                _rolledBackRanges.Remove(gone);
            }
        }

        Enqueue(new AssignedWork(inputs));
    }

    /// <summary>
    /// The pipeline's hook before it commits a batch (its consumer thread waits): records that the grain writes of
    /// every message below <paramref name="offsets"/> are acknowledged. Null when recorded; else what failed (a storage
    /// problem: retry, and commit nothing past it).
    /// </summary>
    public async Task<string?> RecordProgressAsync(IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        if (offsets.Count == 0)
        {
            return null;
        }

        await _progressGate.WaitAsync(cancellationToken);
        try
        {
            IReadOnlyList<long?> before;
            try
            {
                before = await _store.AdvanceAsync(offsets);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return $"recording the ingest progress in Redis: {e.GetType().Name}: {e.Message}";
            }

            for (var i = 0; i < offsets.Count; i++)
            {
                Written(offsets[i].TopicPartition, before[i], offsets[i].Offset.Value);
            }

            return null;
        }
        finally
        {
            _progressGate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastRecheck = _time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (_work.Reader.TryRead(out var work))
            {
                await HandleAsync(work, stoppingToken);
                continue;
            }

            var untilRecheck = _options.RecheckPeriod - _time.GetElapsedTime(lastRecheck);
            if (untilRecheck <= TimeSpan.Zero)
            {
                await RecheckAsync(stoppingToken);
                lastRecheck = _time.GetTimestamp();
                continue;
            }

            await Task.WhenAny(_work.Reader.WaitToReadAsync(stoppingToken).AsTask(), Task.Delay(untilRecheck, _time, stoppingToken));
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _reader.Dispose();
        _progressGate.Dispose();
    }

    // A progress write answered what the partition held before it (null: nothing).
    private void Written(TopicPartition partition, long? held, long written)
    {
        lock (_state)
        {
            if (_awaitingBaseline.Remove(partition))
            {
                // The first write since the assignment: what it found is where the check compares from.
                _baselines[partition] = held;
            }
            else if (_lastWritten.TryGetValue(partition, out var mine) && (held ?? -1) < mine)
            {
                // A write only raises the field: finding less than this silo wrote means storage went back under it.
                Log.WentBack(_logger, partition.Topic, partition.Partition.Value, held, mine);
                Enqueue(new CheckWork(partition, new OffsetRange(held ?? 0, mine), $"the stored progress went back from {mine} to {(held is { } h ? h : "nothing")} under this silo"));
            }

            _lastWritten[partition] = Math.Max(written, held ?? written);
        }
    }

    private void Enqueue(Work work)
    {
        lock (_state)
        {
            foreach (var partition in work.Partitions)
            {
                _checking[partition] = _checking.GetValueOrDefault(partition) + 1;
            }
        }

        _work.Writer.TryWrite(work);
    }

    private void Done(Work work)
    {
        lock (_state)
        {
            foreach (var partition in work.Partitions)
            {
                if (_checking.TryGetValue(partition, out var count) && count > 1)
                {
                    _checking[partition] = count - 1;
                }
                else
                {
                    _checking.Remove(partition);
                }
            }
        }
    }

    private async Task HandleAsync(Work work, CancellationToken cancellationToken)
    {
        try
        {
            switch (work)
            {
                case AssignedWork assigned:
                    await CheckAssignedAsync(assigned.Assigned, cancellationToken);
                    break;
                case CheckWork check:
                    await CheckRangeAsync(check.Partition, check.Range, check.Cause, cancellationToken);
                    break;
            }

            Done(work);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Kafka or storage failed mid-check: it runs again later, whole (and stays counted as due meanwhile).
            Log.CheckFailed(_logger, work.Describe(), _options.RecheckPeriod, e);
            _ = RequeueAsync(work, cancellationToken);
        }
    }

    private async Task RequeueAsync(Work work, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.RecheckPeriod, _time, cancellationToken);
            _work.Writer.TryWrite(work);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CheckAssignedAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        var baselines = await WithRetryAsync(() => CaptureBaselinesAsync(partitions), "reading the ingest progress", cancellationToken);
        var checkable = partitions.Where(baselines.ContainsKey).ToList();
        if (checkable.Count == 0)
        {
            return;
        }

        var committed = await WithRetryAsync(() => RunBlocking(() => _reader.Committed(checkable), cancellationToken), "reading the group's committed offsets", cancellationToken);
        var open = await WithRetryAsync(() => _store.ReadRolledBackAsync(checkable), "reading the recorded rollbacks", cancellationToken);
        for (var i = 0; i < checkable.Count; i++)
        {
            var partition = checkable[i];
            var baseline = baselines[partition];
            var committedOffset = committed.First(c => c.TopicPartition == partition).Offset;
            var range = new OffsetRange(0, 0);
            string? cause = null;
            if (committedOffset != Offset.Unset && (baseline ?? -1) < committedOffset.Value)
            {
                range = new OffsetRange(baseline ?? 0, committedOffset.Value);
                cause = baseline is { } progress
                    ? $"the stored progress {progress} is below the group's committed offset {committedOffset.Value}"
                    : $"no progress is stored, and the group committed up to {committedOffset.Value}";
            }

            if (open[i] is { } recorded)
            {
                range = range.Union(recorded);
                cause = cause is null ? $"products of {recorded} were found rolled back before" : $"{cause}; products of {recorded} were found rolled back before";
            }

            if (cause is not null)
            {
                // Queued whole (range and cause), so a check that fails runs again as it was: the baseline is taken once.
                Enqueue(new CheckWork(partition, range, cause));
            }
        }
    }

    // The progress of each partition as it was before this silo's first write since the assignment: taken from that
    // write's answer when it came first, else read now (under the gate, so before any such write).
    private async Task<Dictionary<TopicPartition, long?>> CaptureBaselinesAsync(IReadOnlyList<TopicPartition> partitions)
    {
        await _progressGate.WaitAsync();
        try
        {
            var found = new Dictionary<TopicPartition, long?>();
            List<TopicPartition> toRead;
            lock (_state)
            {
                foreach (var partition in partitions)
                {
                    if (_baselines.Remove(partition, out var baseline))
                    {
                        found[partition] = baseline;
                    }
                }

                toRead = [.. partitions.Where(_awaitingBaseline.Contains)];
            }

            if (toRead.Count > 0)
            {
                var read = await _store.ReadAsync(toRead);
                lock (_state)
                {
                    for (var i = 0; i < toRead.Count; i++)
                    {
                        // Reassigned meanwhile: a later assignment's check owns it.
                        if (_awaitingBaseline.Remove(toRead[i]))
                        {
                            found[toRead[i]] = read[i];
                        }
                    }
                }
            }

            return found;
        }
        finally
        {
            _progressGate.Release();
        }
    }

    private async Task CheckRangeAsync(TopicPartition partition, OffsetRange range, string cause, CancellationToken cancellationToken)
    {
        Log.Checking(_logger, partition.Topic, partition.Partition.Value, range.ToString(), cause);
        var scan = await RunBlocking(() => _reader.Read(partition, range, _options.MaxScanMessages, _options.ScanTimeout, cancellationToken), cancellationToken);
        if (scan.Read.From > range.From)
        {
            Log.RangeShortened(_logger, partition.Topic, partition.Partition.Value, range.ToString(), scan.Read.ToString());
        }

        var lost = await FindLostAsync(partition, scan, cancellationToken);
        if (lost.Count > 0)
        {
            await _store.MarkRolledBackAsync(partition, range);
            Report(partition, range, lost);
        }

        if (scan.TimedOut)
        {
            // What was read is reported; the range runs again, whole, later.
            throw new TimeoutException($"reading {IngestProgressStore.FieldOf(partition)} {scan.Read} took over RollbackCheck:ScanTimeout ({_options.ScanTimeout})");
        }

        if (lost.Count == 0)
        {
            await _store.AdvanceAsync([new TopicPartitionOffset(partition, range.To)]);
            await _store.ClearRolledBackAsync(partition, range);
            Forget(partition, range);
            Log.NoneLost(_logger, partition.Topic, partition.Partition.Value, scan.Read.ToString(), scan.LastByProduct.Count);
        }
    }

    private async Task<List<RolledBackProduct>> FindLostAsync(TopicPartition partition, RangeScan scan, CancellationToken cancellationToken)
    {
        var lost = new List<RolledBackProduct>();
        await Parallel.ForEachAsync(
            scan.LastByProduct,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelProducts, CancellationToken = cancellationToken },
            async (entry, _) =>
            {
                var (offset, eventId) = entry.Value;
                var position = new EventPosition(partition.Topic, partition.Partition.Value, offset);
                if (!await _grains.GetProductGrain(entry.Key).HoldsDecisionAsync(eventId, position))
                {
                    var found = new RolledBackProduct(entry.Key, partition.Topic, partition.Partition.Value, offset, eventId, _time.GetUtcNow());
                    lock (lost)
                    {
                        lost.Add(found);
                    }
                }
            });
        return lost;
    }

    private void Report(TopicPartition partition, OffsetRange range, List<RolledBackProduct> lost)
    {
        var products = lost.Select(l => l.ProductId).ToHashSet(StringComparer.Ordinal);
        lock (_state)
        {
            if (!_assigned.Contains(partition))
            {
                // Moved on while it was checked: its new owner checks the range recorded above.
                return;
            }

            // Products reported before that this check found whole again were repaired.
            foreach (var repaired in _rolledBack.Keys.Where(k => k.Partition == partition && !products.Contains(k.ProductId)).ToList())
            {
                _rolledBack.Remove(repaired);
            }

            _rolledBackRanges[partition] = _rolledBackRanges.TryGetValue(partition, out var known) ? known.Union(range) : range;
            foreach (var product in lost.OrderBy(l => l.ProductId, StringComparer.Ordinal))
            {
                _rolledBack[(partition, product.ProductId)] = product;
                Log.RolledBack(_logger, product.ProductId, product.Topic, product.Partition, product.Offset, product.EventId, range.ToString());
                if (_counted.Add((partition, product.ProductId)))
                {
                    _metrics.RecordRollback(product.Topic, product.Partition);
                }
            }
        }
    }

    private void Forget(TopicPartition partition, OffsetRange range)
    {
        lock (_state)
        {
            foreach (var whole in _rolledBack.Keys.Where(k => k.Partition == partition).ToList())
            {
                _rolledBack.Remove(whole);
            }

            if (_rolledBackRanges.TryGetValue(partition, out var known) && known.From >= range.From && known.To <= range.To)
            {
                _rolledBackRanges.Remove(partition);
            }
        }
    }

    // Asks the rolled-back products again: one whose stored state now holds its decision was repaired; a partition with
    // none left is whole, and its progress moves to the end of the range that was checked.
    private async Task RecheckAsync(CancellationToken cancellationToken)
    {
        List<RolledBackProduct> reported;
        lock (_state)
        {
            reported = [.. _rolledBack.Values];
        }

        if (reported.Count == 0)
        {
            return;
        }

        var repaired = new List<RolledBackProduct>();
        try
        {
            await Parallel.ForEachAsync(
                reported,
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelProducts, CancellationToken = cancellationToken },
                async (product, _) =>
                {
                    var position = new EventPosition(product.Topic, product.Partition, product.Offset);
                    if (await _grains.GetProductGrain(product.ProductId).HoldsDecisionAsync(product.EventId, position))
                    {
                        lock (repaired)
                        {
                            repaired.Add(product);
                        }
                    }
                });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.RecheckFailed(_logger, e);
            return;
        }

        var whole = new List<(TopicPartition Partition, OffsetRange Range)>();
        lock (_state)
        {
            foreach (var product in repaired)
            {
                var partition = new TopicPartition(product.Topic, product.Partition);
                if (_rolledBack.Remove((partition, product.ProductId)))
                {
                    Log.Repaired(_logger, product.ProductId, product.Topic, product.Partition, product.Offset);
                }
            }

            foreach (var (partition, range) in _rolledBackRanges.ToList())
            {
                if (!_rolledBack.Keys.Any(k => k.Partition == partition))
                {
                    whole.Add((partition, range));
                }
            }
        }

        foreach (var (partition, range) in whole)
        {
            try
            {
                await _store.AdvanceAsync([new TopicPartitionOffset(partition, range.To)]);
                await _store.ClearRolledBackAsync(partition, range);
                lock (_state)
                {
                    _rolledBackRanges.Remove(partition);
                }

                Log.PartitionWhole(_logger, partition.Topic, partition.Partition.Value, range.ToString());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.RecheckFailed(_logger, e);
            }
        }
    }

    // The pipeline retries with backoff (RollbackRetry); here a run of failures is logged once, at its start and end.
    private async Task<T> WithRetryAsync<T>(Func<Task<T>> attempt, string what, CancellationToken cancellationToken)
    {
        var failing = false;
        var result = await _retry.ExecuteAsync(
            async _ =>
            {
                try
                {
                    return await attempt();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (!failing)
                    {
                        Log.StepFailing(_logger, what, e.Message);
                        failing = true;
                    }

                    throw;
                }
            },
            cancellationToken);
        if (failing)
        {
            Log.StepRecovered(_logger, what);
        }

        return result;
    }

    // Confluent.Kafka's consumer calls block: on a thread of their own, not the pool's.
    private static Task<T> RunBlocking<T>(Func<T> call, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(call, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private abstract record Work
    {
        public abstract IReadOnlyList<TopicPartition> Partitions { get; }

        public abstract string Describe();
    }

    private sealed record AssignedWork(IReadOnlyList<TopicPartition> Assigned) : Work
    {
        public override IReadOnlyList<TopicPartition> Partitions => Assigned;

        public override string Describe() => $"the check of the assigned partitions {string.Join(", ", Assigned.Select(IngestProgressStore.FieldOf))}";
    }

    private sealed record CheckWork(TopicPartition Partition, OffsetRange Range, string Cause) : Work
    {
        public override IReadOnlyList<TopicPartition> Partitions => [Partition];

        public override string Describe() => $"the check of {IngestProgressStore.FieldOf(Partition)} {Range}";
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Checking {Topic}/{Partition} {Range} for products whose stored state lost decisions the group committed: {Cause}")]
        public static partial void Checking(ILogger logger, string topic, int partition, string range, string cause);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The check of {Topic}/{Partition} reads {Read} of {Range}: the rest is beyond RollbackCheck:MaxScanMessages or no longer in the log, and products whose last message there is older are not checked")]
        public static partial void RangeShortened(ILogger logger, string topic, int partition, string range, string read);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}/{Partition} {Read}: each of its {Products} products' stored state holds its decisions; no state was lost there")]
        public static partial void NoneLost(ILogger logger, string topic, int partition, string read, int products);

        [LoggerMessage(Level = LogLevel.Error, Message = "State of product {ProductId} rolled back: storage lacks its decision about {Topic}/{Partition}@{Offset} (eventId {EventId}), a message the group committed (checked range {Range}); it serves and decides from older state until rebuilt (docs/operations.md, runbook: State rolled back)")]
        public static partial void RolledBack(ILogger logger, string productId, string topic, int partition, long offset, string eventId, string range);

        [LoggerMessage(Level = LogLevel.Information, Message = "Product {ProductId} repaired: its stored state holds its decision about {Topic}/{Partition}@{Offset} again")]
        public static partial void Repaired(ILogger logger, string productId, string topic, int partition, long offset);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}/{Partition}: every product found rolled back in {Range} is repaired; its progress moves to the end of the range")]
        public static partial void PartitionWhole(ILogger logger, string topic, int partition, string range);

        [LoggerMessage(Level = LogLevel.Error, Message = "The stored ingest progress of {Topic}/{Partition} went back under this silo: it held {Found} where this silo had written {Written} (storage lost acknowledged writes)")]
        public static partial void WentBack(ILogger logger, string topic, int partition, long? found, long written);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Rollback check: {What} failed; it runs again in {Delay}")]
        public static partial void CheckFailed(ILogger logger, string what, TimeSpan delay, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Rollback check: {What} fails ({Problem}); retrying with backoff")]
        public static partial void StepFailing(ILogger logger, string what, string problem);

        [LoggerMessage(Level = LogLevel.Information, Message = "Rollback check: {What} works again")]
        public static partial void StepRecovered(ILogger logger, string what);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Rollback check: asking the rolled-back products again failed; next period")]
        public static partial void RecheckFailed(ILogger logger, Exception exception);
    }
}
