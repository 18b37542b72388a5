using System.Diagnostics;

namespace InventoryOrleans.Bench.Api;

/// <summary>Concurrent callers, each making awaited calls back to back for a fixed time: calls per second.</summary>
internal static class ClosedLoop
{
    public static async Task<(double PerSecond, long Calls, long Failures)> RunAsync(int callers, TimeSpan duration, Func<int, Task> call)
    {
        long calls = 0;
        long failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            // Each caller strides over the call indexes from its own start, so callers rarely ask for one product at once.
            for (var i = caller; clock.Elapsed < duration; i += callers)
            {
                try
                {
                    await call(i);
                    Interlocked.Increment(ref calls);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        return (calls / clock.Elapsed.TotalSeconds, calls, failures);
    }
}
