using System.Diagnostics;

namespace InventoryOrleans.TestSupport;

/// <summary>Waits in tests poll a condition until a deadline; never a bare sleep.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string because)
    {
        await TrueAsync(() => Task.FromResult(condition()), timeout, because);
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting until {because}.");
            }

            await Task.Delay(20);
        }
    }
}
