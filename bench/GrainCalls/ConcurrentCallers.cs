namespace InventoryOrleans.Bench.GrainCalls;

/// <summary>Many concurrent callers, each making a sequence of awaited calls spread over all keys.</summary>
internal static class ConcurrentCallers
{
    public static Task RunAsync(int callers, int callsPerCaller, int keys, Func<int, Task<long>> call)
    {
        var running = new Task[callers];
        for (var c = 0; c < callers; c++)
        {
            var start = (int)((long)c * 7919 % keys);
            running[c] = Task.Run(async () =>
            {
                // Each caller strides over the keys from its own offset, so callers rarely hit the same key at once.
                var index = start;
                for (var n = 0; n < callsPerCaller; n++)
                {
                    await call(index);
                    index += 31;
                    if (index >= keys)
                    {
                        index %= keys;
                    }
                }
            });
        }

        return Task.WhenAll(running);
    }
}
