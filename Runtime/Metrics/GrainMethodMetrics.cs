namespace InventoryOrleans.Runtime;

/// <summary>
/// Live counters of one grain method: calls, errors and a latency histogram of sampled calls. Striped by processor and padded
/// to cache lines so concurrent callers on different cores do not contend; lock-free.
/// </summary>
internal sealed class GrainMethodMetrics
{
    private const int CacheLineLongs = 8;
    private const int CallsCell = 0;
    private const int ErrorsCell = 1;
    private const int FirstBucketCell = 2;
    private readonly long[] _cells;
    private readonly int _rowLength;
    private readonly int _stripeMask;
    private readonly long _sampleMask;
    private readonly double _microsecondsPerTick;

    public GrainMethodMetrics(string grainType, string method, long timestampFrequency, int latencySampling)
    {
        GrainType = grainType;
        Method = method;
        var stripes = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, Environment.ProcessorCount));
        _stripeMask = stripes - 1;
        _sampleMask = latencySampling - 1;

        // Row: [calls, errors, bucket0..bucketN], rounded up to whole cache lines, plus one line of padding before the first row.
        _rowLength = (FirstBucketCell + LatencyBuckets.Count + CacheLineLongs - 1) / CacheLineLongs * CacheLineLongs;
        _cells = new long[CacheLineLongs + (stripes * _rowLength)];
        _microsecondsPerTick = 1_000_000.0 / timestampFrequency;
    }

    public string GrainType { get; }

    public string Method { get; }

    /// <summary>Counts a call that starts now; returns the row to pass to <see cref="Complete"/> and whether to time this call.</summary>
    public int Start(out bool timed)
    {
        var row = CacheLineLongs + ((Thread.GetCurrentProcessorId() & _stripeMask) * _rowLength);
        timed = (Interlocked.Increment(ref _cells[row + CallsCell]) & _sampleMask) == 0;
        return row;
    }

    /// <summary>Records how the call ended; <paramref name="elapsedTimestampTicks"/> is only read when the call was timed.</summary>
    public void Complete(int row, bool failed, bool timed, long elapsedTimestampTicks)
    {
        if (failed)
        {
            Interlocked.Increment(ref _cells[row + ErrorsCell]);
        }

        if (timed)
        {
            var microseconds = (long)(elapsedTimestampTicks * _microsecondsPerTick);
            Interlocked.Increment(ref _cells[row + FirstBucketCell + LatencyBuckets.IndexOf(microseconds)]);
        }
    }

    public GrainMethodSnapshot Snapshot()
    {
        var buckets = new long[LatencyBuckets.Count];
        long calls = 0;
        long errors = 0;
        for (var row = CacheLineLongs; row < _cells.Length; row += _rowLength)
        {
            calls += Volatile.Read(ref _cells[row + CallsCell]);
            errors += Volatile.Read(ref _cells[row + ErrorsCell]);
            for (var b = 0; b < buckets.Length; b++)
            {
                buckets[b] += Volatile.Read(ref _cells[row + FirstBucketCell + b]);
            }
        }

        return new GrainMethodSnapshot(GrainType, Method, calls, errors, buckets);
    }
}
