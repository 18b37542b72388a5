using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// The CPU time used so far by this process (silos, broker, feeder and probe together) and by the Redis server; the
/// difference of two, per event, is a phase's CPU cost. Unlike a rate or a latency, it does not move with how busy the
/// machine is, so it compares builds run one after the other on a noisy machine.
/// </summary>
internal readonly record struct CpuFigures(TimeSpan Process, TimeSpan Redis)
{
    public static async Task<CpuFigures> NowAsync(ConfigurationOptions redis)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new CpuFigures(process.TotalProcessorTime, await RedisCpuAsync(redis));
    }

    public string Since(CpuFigures before, long events) => string.Create(
        CultureInfo.InvariantCulture,
        $"CPU per event: {(Process - before.Process).TotalMicroseconds / events:N1} µs in this process (silos, broker, feeder, probe), {(Redis - before.Redis).TotalMicroseconds / events:N1} µs in the Redis server");

    private static async Task<TimeSpan> RedisCpuAsync(ConfigurationOptions redis)
    {
        var configuration = redis.Clone();
        configuration.AllowAdmin = true;
        using var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        var seconds = 0.0;
        foreach (var group in await connection.GetServers()[0].InfoAsync("cpu"))
        {
            foreach (var entry in group)
            {
                if (entry.Key is "used_cpu_sys" or "used_cpu_user")
                {
                    seconds += double.Parse(entry.Value, CultureInfo.InvariantCulture);
                }
            }
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
