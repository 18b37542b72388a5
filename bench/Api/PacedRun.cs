using System.Collections.Concurrent;
using System.Diagnostics;

namespace InventoryOrleans.Bench.Api;

/// <summary>
/// Calls started at a fixed rate whatever the earlier ones do (open loop, so a slow answer cannot slow the offered
/// load and hide itself), each timed from its start to its answer; the first second is warm-up and not counted.
/// </summary>
internal static class PacedRun
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public static async Task<LatencySummary> RunAsync(int rate, TimeSpan duration, Func<int, Task> call)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new ConcurrentBag<double>();
        long failures = 0;
        var running = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        var started = 0;
        while (started < total)
        {
            // Start every call due by now (the timer's granularity makes small bursts), then wait for the next.
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * rate) + 1);
            for (; started < due; started++)
            {
                var index = started;
                var counted = clock.Elapsed >= WarmUp;
                running.Add(Task.Run(async () =>
                {
                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        await call(index);
                        if (counted)
                        {
                            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                        }
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }));
            }

            await Task.Delay(1);
        }

        var offered = total / clock.Elapsed.TotalSeconds;
        await Task.WhenAll(running);
        return new LatencySummary([.. latencies.Order()], offered, failures);
    }
}

/// <summary>Sorted latencies (ms) of the counted calls, the rate actually offered and the failed calls.</summary>
internal sealed record LatencySummary(double[] SortedMs, double OfferedPerSecond, long Failures)
{
    public double Percentile(double p) => SortedMs.Length == 0 ? double.NaN : SortedMs[Math.Clamp((int)Math.Ceiling(SortedMs.Length * p) - 1, 0, SortedMs.Length - 1)];
}
