using System.Collections.Concurrent;
using System.Diagnostics;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Ingest.Metrics;

/// <summary>
/// The pipeline's counters for the dashboard: events consumed (and their rate), per-partition lag, batch latency,
/// dead letters and outcomes by status. Updated lock-free on the hot path; read with <see cref="Snapshot"/>.
/// </summary>
public sealed class IngestMetrics(TimeProvider time)
{
    /// <summary>Upper bounds (ms) of the batch latency histogram buckets; the last bucket is open.</summary>
    public static IReadOnlyList<double> LatencyBucketsMs { get; } = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000];

    private readonly long[] _latencyCounts = new long[LatencyBucketsMs.Count + 1];
    private readonly long[] _outcomes = new long[Enum.GetValues<OutcomeStatus>().Length];
    private readonly ConcurrentDictionary<string, long> _lag = new(StringComparer.Ordinal);
    private readonly RateWindow _rate = new(time);
    private long _consumed;
    private long _deadLettered;
    private long _batches;
    private long _netStockPublished;
    private long _expiryReleases;
    private long _grainCalls;
    private long _remoteGrainCalls;
    private readonly long[] _stageTicks = new long[Enum.GetValues<IngestStage>().Length];

    public void RecordConsumed(int count)
    {
        Interlocked.Add(ref _consumed, count);
        _rate.Add(count);
    }

    public void RecordDeadLettered(int count) => Interlocked.Add(ref _deadLettered, count);

    public void RecordOutcome(OutcomeStatus status) => Interlocked.Increment(ref _outcomes[(int)status]);

    public void RecordNetStockPublished(int count) => Interlocked.Add(ref _netStockPublished, count);

    /// <summary>Counts net-stock records published for products whose reservations expired.</summary>
    public void RecordExpiryReleases(int count) => Interlocked.Add(ref _expiryReleases, count);

    /// <summary>Counts the apply stage's grain calls, and those whose grain turned out to live on another silo.</summary>
    public void RecordGrainCalls(int calls, int remote)
    {
        Interlocked.Add(ref _grainCalls, calls);
        Interlocked.Add(ref _remoteGrainCalls, remote);
    }

    /// <summary>Adds time spent in one stage of a batch (where the time goes, for tuning).</summary>
    public void RecordStage(IngestStage stage, TimeSpan elapsed) => Interlocked.Add(ref _stageTicks[(int)stage], elapsed.Ticks);

    public void RecordBatch(TimeSpan latency)
    {
        Interlocked.Increment(ref _batches);
        var ms = latency.TotalMilliseconds;
        var bucket = 0;
        while (bucket < LatencyBucketsMs.Count && ms > LatencyBucketsMs[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _latencyCounts[bucket]);
    }

    /// <summary>Sets the lag (high watermark − position) of one input topic-partition.</summary>
    public void RecordLag(string topic, int partition, long lag) => _lag[$"{topic}/{partition}"] = Math.Max(0, lag);

    /// <summary>Forgets the lag of partitions this silo no longer owns.</summary>
    public void ClearLag() => _lag.Clear();

    public IngestMetricsSnapshot Snapshot() => new(
        Interlocked.Read(ref _consumed),
        _rate.PerSecond(),
        Interlocked.Read(ref _deadLettered),
        Interlocked.Read(ref _batches),
        Interlocked.Read(ref _netStockPublished),
        Interlocked.Read(ref _expiryReleases),
        Interlocked.Read(ref _grainCalls),
        Interlocked.Read(ref _remoteGrainCalls),
        Enum.GetValues<OutcomeStatus>().ToDictionary(s => s, s => Interlocked.Read(ref _outcomes[(int)s])),
        new SortedDictionary<string, long>(_lag, StringComparer.Ordinal),
        _latencyCounts.Select(c => Interlocked.Read(ref c)).ToArray(),
        Enum.GetValues<IngestStage>().ToDictionary(s => s, s => TimeSpan.FromTicks(Interlocked.Read(ref _stageTicks[(int)s]))));

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
