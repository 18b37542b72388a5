using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Stats;

namespace InventoryOrleans.Ingest.Metrics;

/// <summary>
/// The one place the pipeline records what it does: messages read (and their rate), outcomes by status and reason,
/// dead letters, per-partition lag, batch sizes and times per stage, publish and commit times, outage pauses, grain
/// calls. Each call updates both the in-process counters (read with <see cref="Snapshot"/>, for the inventory page
/// and the benchmark) and the <see cref="IngestInstruments"/> that <c>/metrics</c> exports, so both show the same
/// numbers. Lock-free on the hot path.
/// </summary>
public sealed class IngestMetrics
{
    /// <summary>Upper bounds (ms) of the batch latency histogram buckets; the last bucket is open.</summary>
    public static IReadOnlyList<double> LatencyBucketsMs { get; } = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000];

    /// <summary>The <c>status</c> attribute of <c>inventory.ingest.outcomes</c> for a dead-lettered message.</summary>
    public const string DeadLetteredStatus = "dead_lettered";

    private static readonly string[] StatusNames = [.. Enum.GetValues<OutcomeStatus>().Select(s => s.ToString().ToLowerInvariant())];
    private static readonly string[] StageNames = [.. Enum.GetValues<IngestStage>().Select(s => s.ToString().ToLowerInvariant())];

    private readonly TimeProvider _time;
    private readonly IngestInstruments _instruments;
    private readonly long[] _latencyCounts = new long[LatencyBucketsMs.Count + 1];
    private readonly long[] _outcomes = new long[Enum.GetValues<OutcomeStatus>().Length];
    private readonly CounterMap _consumedByTopic = new();
    private readonly CounterMap _rejectedByReason = new();
    private readonly CounterMap _deadLetteredByReason = new();
    private readonly ConcurrentDictionary<(string Topic, int Partition), long> _lag = new();
    private readonly long[] _stageTicks = new long[Enum.GetValues<IngestStage>().Length];
    private readonly RateWindow _rate;
    private readonly Lock _pauseGate = new();
    private long _consumed;
    private long _deadLettered;
    private long _batches;
    private long _netStockPublished;
    private long _expiryReleases;
    private long _grainCalls;
    private long _remoteGrainCalls;
    private long _pauses;
    private long? _pausedSince;

    public IngestMetrics(TimeProvider time, IMeterFactory meters)
    {
        _time = time;
        _rate = new RateWindow(time);
        _instruments = new IngestInstruments(meters, ObserveLag, () => Paused ? 1 : 0);
    }

    private bool Paused
    {
        get
        {
            lock (_pauseGate)
            {
                return _pausedSince is not null;
            }
        }
    }

    /// <summary>Counts messages read from one input topic (valid or not).</summary>
    public void RecordConsumed(string topic, int count)
    {
        Interlocked.Add(ref _consumed, count);
        _consumedByTopic.Add(topic, count);
        _rate.Add(count);
        _instruments.Messages.Add(count, new KeyValuePair<string, object?>("topic", topic));
    }

    /// <summary>Counts one message written to the dead-letter topic; <paramref name="reason"/> is its <c>dlq-reason</c> code.</summary>
    public void RecordDeadLettered(string reason)
    {
        Interlocked.Increment(ref _deadLettered);
        _deadLetteredByReason.Add(reason, 1);
        _instruments.Outcomes.Add(1, new("status", DeadLetteredStatus), new("reason", reason));
    }

    /// <summary>Counts one published outcome; <paramref name="reason"/> is the rejection reason (null unless rejected).</summary>
    public void RecordOutcome(OutcomeStatus status, string? reason)
    {
        Interlocked.Increment(ref _outcomes[(int)status]);
        if (reason is null)
        {
            _instruments.Outcomes.Add(1, new KeyValuePair<string, object?>("status", StatusNames[(int)status]));
            return;
        }

        _rejectedByReason.Add(reason, 1);
        _instruments.Outcomes.Add(1, new("status", StatusNames[(int)status]), new("reason", reason));
    }

    public void RecordNetStockPublished(int count)
    {
        Interlocked.Add(ref _netStockPublished, count);
        _instruments.NetStockPublished.Add(count);
    }

    /// <summary>Counts net-stock records published for products whose reservations expired.</summary>
    public void RecordExpiryReleases(int count)
    {
        Interlocked.Add(ref _expiryReleases, count);
        _instruments.ExpiryPublished.Add(count);
    }

    /// <summary>Counts expiry releases whose publication attempt failed (each is tried again with a later one).</summary>
    public void RecordExpiryPublishFailures(int count)
    {
        if (count > 0)
        {
            _instruments.ExpiryPublishFailures.Add(count);
        }
    }

    /// <summary>Counts the apply stage's grain calls, and those whose grain turned out to live on another silo.</summary>
    public void RecordGrainCalls(int calls, int remote)
    {
        Interlocked.Add(ref _grainCalls, calls);
        Interlocked.Add(ref _remoteGrainCalls, remote);
        _instruments.GrainCalls.Add(calls - remote, new KeyValuePair<string, object?>("placement", "local"));
        _instruments.GrainCalls.Add(remote, new KeyValuePair<string, object?>("placement", "remote"));
    }

    /// <summary>Adds time spent in one stage of a batch (where the time goes, for tuning).</summary>
    public void RecordStage(IngestStage stage, TimeSpan elapsed)
    {
        Interlocked.Add(ref _stageTicks[(int)stage], elapsed.Ticks);
        _instruments.BatchDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("stage", StageNames[(int)stage]));
    }

    /// <summary>Counts a committed batch of <paramref name="messages"/> and the time from its parsing to its commit.</summary>
    public void RecordBatch(int messages, TimeSpan latency)
    {
        Interlocked.Increment(ref _batches);
        var ms = latency.TotalMilliseconds;
        var bucket = 0;
        while (bucket < LatencyBucketsMs.Count && ms > LatencyBucketsMs[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _latencyCounts[bucket]);
        _instruments.ProcessDuration.Record(latency.TotalSeconds);
        _instruments.BatchSize.Record(messages);
    }

    /// <summary>Records one delivery of records; <paramref name="errorType"/> names the last delivery error when some failed.</summary>
    public void RecordPublish(TimeSpan elapsed, string? errorType) => Record(_instruments.PublishDuration, elapsed, errorType);

    /// <summary>Records one offset commit; <paramref name="errorType"/> names the error when it failed.</summary>
    public void RecordCommit(TimeSpan elapsed, string? errorType) => Record(_instruments.CommitDuration, elapsed, errorType);

    /// <summary>Consumption was paused by an outage of <paramref name="cause"/> (<c>storage</c> or <c>broker</c>); a pause already on is not counted again.</summary>
    public void RecordPaused(string cause)
    {
        lock (_pauseGate)
        {
            if (_pausedSince is not null)
            {
                return;
            }

            _pausedSince = _time.GetTimestamp();
            _pauses++;
        }

        _instruments.Pauses.Add(1, new KeyValuePair<string, object?>("cause", cause));
    }

    /// <summary>Consumption runs again after a pause.</summary>
    public void RecordResumed()
    {
        TimeSpan paused;
        lock (_pauseGate)
        {
            if (_pausedSince is not { } since)
            {
                return;
            }

            paused = _time.GetElapsedTime(since);
            _pausedSince = null;
        }

        _instruments.PauseDuration.Record(paused.TotalSeconds);
    }

    /// <summary>Sets the lag (high watermark − position) of one input topic-partition.</summary>
    public void RecordLag(string topic, int partition, long lag) => _lag[(topic, partition)] = Math.Max(0, lag);

    /// <summary>Forgets the lag of partitions this silo no longer owns.</summary>
    public void ClearLag() => _lag.Clear();

    public IngestMetricsSnapshot Snapshot()
    {
        long pauses;
        bool paused;
        lock (_pauseGate)
        {
            pauses = _pauses;
            paused = _pausedSince is not null;
        }

        var lag = _lag.ToArray();
        return new(
            Interlocked.Read(ref _consumed),
            _rate.PerSecond(),
            Interlocked.Read(ref _deadLettered),
            Interlocked.Read(ref _batches),
            Interlocked.Read(ref _netStockPublished),
            Interlocked.Read(ref _expiryReleases),
            Interlocked.Read(ref _grainCalls),
            Interlocked.Read(ref _remoteGrainCalls),
            Enum.GetValues<OutcomeStatus>().ToDictionary(s => s, s => Interlocked.Read(ref _outcomes[(int)s])),
            new SortedDictionary<string, long>(lag.ToDictionary(p => $"{p.Key.Topic}/{p.Key.Partition}", p => p.Value), StringComparer.Ordinal),
            _latencyCounts.Select(c => Interlocked.Read(ref c)).ToArray(),
            Enum.GetValues<IngestStage>().ToDictionary(s => s, s => TimeSpan.FromTicks(Interlocked.Read(ref _stageTicks[(int)s]))),
            _consumedByTopic.Read(),
            _rejectedByReason.Read(),
            _deadLetteredByReason.Read(),
            [.. lag.Select(p => new PartitionLag(p.Key.Topic, p.Key.Partition, p.Value)).OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition)],
            pauses,
            paused);
    }

    private static void Record(Histogram<double> histogram, TimeSpan elapsed, string? errorType)
    {
        if (errorType is null)
        {
            histogram.Record(elapsed.TotalSeconds);
        }
        else
        {
            histogram.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("error.type", errorType));
        }
    }

    private IEnumerable<Measurement<long>> ObserveLag() =>
        _lag.Select(p => new Measurement<long>(p.Value, new("topic", p.Key.Topic), new("partition", p.Key.Partition)));

    /// <summary>Counts by a small set of keys (topics, reasons), incremented without locks.</summary>
    private sealed class CounterMap
    {
        private readonly ConcurrentDictionary<string, StrongBox> _counts = new(StringComparer.Ordinal);

        public void Add(string key, long count) => Interlocked.Add(ref _counts.GetOrAdd(key, static _ => new StrongBox()).Value, count);

        public IReadOnlyDictionary<string, long> Read() =>
            new SortedDictionary<string, long>(_counts.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value)), StringComparer.Ordinal);

        private sealed class StrongBox
        {
            public long Value;
        }
    }

    /// <summary>Events per second over the last few seconds, in one-second buckets.</summary>
    private sealed class RateWindow(TimeProvider time)
    {
        private const int Seconds = 5;
        private readonly long[] _counts = new long[Seconds + 1];
        private readonly long[] _stamps = new long[Seconds + 1];
        private readonly long _start = time.GetTimestamp();

        public void Add(int count)
        {
            var second = CurrentSecond();
            var slot = (int)(second % _counts.Length);
            if (Interlocked.Exchange(ref _stamps[slot], second) != second)
            {
                Interlocked.Exchange(ref _counts[slot], 0);
            }

            Interlocked.Add(ref _counts[slot], count);
        }

        public double PerSecond()
        {
            var now = CurrentSecond();
            long total = 0;

            // Whole seconds only: the current, partial second would make the rate jitter.
            for (var second = now - Seconds; second < now; second++)
            {
                var slot = (int)(((second % _counts.Length) + _counts.Length) % _counts.Length);
                if (Interlocked.Read(ref _stamps[slot]) == second)
                {
                    total += Interlocked.Read(ref _counts[slot]);
                }
            }

            return total / (double)Seconds;
        }

        private long CurrentSecond() => (long)time.GetElapsedTime(_start).TotalSeconds;
    }
}
