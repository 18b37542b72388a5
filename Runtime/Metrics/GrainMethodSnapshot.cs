namespace InventoryOrleans.Runtime;

/// <summary>
/// Counters of one grain method at a point in time. <see cref="LatencyBucketCounts"/> (timed calls, one in
/// <c>GrainRuntimeOptions.LatencySampling</c>) lines up with <see cref="LatencyBuckets.UpperBounds"/>.
/// </summary>
public sealed record GrainMethodSnapshot(string GrainType, string Method, long Calls, long Errors, IReadOnlyList<long> LatencyBucketCounts)
{
    /// <summary>The upper bound of the bucket that holds the <paramref name="quantile"/> (0–1) of calls; zero when there were none.</summary>
    public TimeSpan LatencyQuantile(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        var timed = LatencyBucketCounts.Sum();
        if (timed == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = (long)Math.Ceiling(quantile * timed);
        long seen = 0;
        for (var i = 0; i < LatencyBucketCounts.Count; i++)
        {
            seen += LatencyBucketCounts[i];
            if (seen >= Math.Max(rank, 1))
            {
                return LatencyBuckets.UpperBounds[i];
            }
        }

        return LatencyBuckets.UpperBounds[^1];
    }
}
