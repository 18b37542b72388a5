namespace InventoryOrleans.Runtime;

/// <summary>The fixed latency histogram buckets of every grain method: upper bounds from 1 µs to 30 s, then one overflow bucket.</summary>
public static class LatencyBuckets
{
    private static readonly long[] BoundsMicroseconds =
    [
        1, 2, 5, 10, 20, 50, 100, 200, 500,
        1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000,
        1_000_000, 2_000_000, 5_000_000, 10_000_000, 30_000_000,
    ];

    /// <summary>Upper bound of each bucket; the last bucket (<see cref="TimeSpan.MaxValue"/>) holds everything slower than 30 s.</summary>
    public static IReadOnlyList<TimeSpan> UpperBounds { get; } =
        [.. BoundsMicroseconds.Select(TimeSpan.FromMicroseconds), TimeSpan.MaxValue];

    /// <summary>Number of buckets, overflow included.</summary>
    public static int Count => BoundsMicroseconds.Length + 1;

    /// <summary>The bucket of a latency given in microseconds.</summary>
    public static int IndexOf(long microseconds)
    {
        var bounds = BoundsMicroseconds;
        for (var i = 0; i < bounds.Length; i++)
        {
            if (microseconds <= bounds[i])
            {
                return i;
            }
        }

        return bounds.Length;
    }
}
