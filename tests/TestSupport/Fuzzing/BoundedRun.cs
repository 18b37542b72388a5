using System.Diagnostics;

namespace InventoryOrleans.TestSupport.Fuzzing;

/// <summary>
/// Runs one check per seed on a thread of its own while the caller watches the clock, so a check that hangs fails the
/// test with its seed after <c>perCase</c> instead of hanging the run.
/// </summary>
public static class BoundedRun
{
    /// <summary>Calls <paramref name="check"/> for every seed from <paramref name="first"/>, each within <paramref name="perCase"/>.</summary>
    public static void ForEachSeed(int first, int count, TimeSpan perCase, Action<int> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var gate = new object();
        var current = first;
        var started = Stopwatch.GetTimestamp();
        var worker = Task.Factory.StartNew(
            () =>
            {
                for (var seed = first; seed < first + count; seed++)
                {
                    lock (gate)
                    {
                        (current, started) = (seed, Stopwatch.GetTimestamp());
                    }

                    try
                    {
                        check(seed);
                    }
                    catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                    {
                        // A failed assertion names its seed already; anything else is given it here.
                        Assert.Fail($"seed {seed}: {e}");
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        // WaitAny, unlike Wait, does not throw for a failed check: that is rethrown below, unwrapped.
        while (Task.WaitAny([worker], TimeSpan.FromMilliseconds(100)) < 0)
        {
            lock (gate)
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (elapsed > perCase)
                {
                    Assert.Fail($"seed {current} still running after {elapsed.TotalSeconds:0.0} s (bound {perCase.TotalSeconds:0.#} s): a hang");
                }
            }
        }

        worker.GetAwaiter().GetResult();
    }
}
