using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using InventoryOrleans.Bench.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Bench.GrainCalls;

/// <summary>
/// <c>bench -- grains [--keys 10000] [--callers 64] [--calls 2000] [--rounds 5]</c>: calls to a trivial counter grain
/// through an Orleans silo in this process, made inside the silo (its <see cref="IGrainFactory"/>, as the ingest does),
/// versus the same work on <see cref="SemaphoreSlim"/>-guarded objects, in one run. Two groups, each with its own
/// baseline: callers that hold references (objects), and callers that find the target by key on every call
/// (<c>GetGrain</c> per call versus a <see cref="ConcurrentDictionary{TKey,TValue}"/> of guarded objects). Each round
/// runs every case once (in a rotated order) with <c>callers</c> concurrent callers making <c>calls</c> awaited calls
/// each; a warm-up round is not counted. Prints the median per call over the rounds, its range, calls/s, the ratio to
/// the group's baseline and the bytes allocated per call (process-wide, so the silo's own background work is billed too).
/// </summary>
internal static class GrainCallsCommand
{
    public static int Run(string[] args)
    {
        var options = new BenchArguments(args);
        RunAsync(options.Int("--keys", 10_000), options.Int("--callers", 64), options.Int("--calls", 2_000), options.Int("--rounds", 5)).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(int keyCount, int callers, int callsPerCaller, int rounds)
    {
        using var silo = await StartSiloAsync();
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        var keys = Enumerable.Range(0, keyCount).Select(i => string.Create(CultureInfo.InvariantCulture, $"product-{i:D6}")).ToArray();
        var held = keys.Select(k => grains.GetGrain<IBenchCounterGrain>(k)).ToArray();
        var guarded = keys.Select(_ => new GuardedCounter()).ToArray();
        var guardedByKey = new ConcurrentDictionary<string, GuardedCounter>(keys.Zip(guarded, KeyValuePair.Create), StringComparer.Ordinal);

        // Activate every grain up front: the benchmark measures calls, not activations.
        await Task.WhenAll(held.Select(g => g.AddAsync(0)));

        CallCase[] cases =
        [
            new("SemaphoreSlim-guarded objects, held", "held", IsBaseline: true, i => guarded[i].AddAsync(1)),
            new("grain calls, references held", "held", IsBaseline: false, i => held[i].AddAsync(1)),
            new("SemaphoreSlim-guarded objects, looked up by key", "by key", IsBaseline: true, i => guardedByKey[keys[i]].AddAsync(1)),
            new("grain calls, GetGrain per call", "by key", IsBaseline: false, i => grains.GetGrain<IBenchCounterGrain>(keys[i]).AddAsync(1)),
        ];
        var calls = (long)callers * callsPerCaller;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"grain calls: 1 Orleans silo in process, {keyCount:N0} keys, {callers} concurrent callers × {callsPerCaller:N0} calls per case per round, {rounds} rounds after a warm-up (server GC {GCSettings.IsServerGC}, {Environment.ProcessorCount} cores)"));

        var nsPerCall = cases.ToDictionary(c => c, _ => new List<double>());
        var bytesPerCall = cases.ToDictionary(c => c, _ => new List<double>());
        for (var round = -1; round < rounds; round++)
        {
            // Rotate the order so no case always runs right after another's garbage.
            for (var n = 0; n < cases.Length; n++)
            {
                var @case = cases[(n + Math.Max(0, round)) % cases.Length];
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var clock = Stopwatch.StartNew();
                await ConcurrentCallers.RunAsync(callers, callsPerCaller, keyCount, @case.Call);
                var elapsed = clock.Elapsed;
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                if (round >= 0)
                {
                    nsPerCall[@case].Add(elapsed.TotalNanoseconds / calls);
                    bytesPerCall[@case].Add(allocated / (double)calls);
                }
            }
        }

        Console.WriteLine($"{"method",-60} {"per call",10} {"range",19} {"calls/s",9} {"vs. baseline",12} {"alloc/call",10}");
        foreach (var group in cases.GroupBy(c => c.Group))
        {
            var baseline = Median(nsPerCall[group.Single(c => c.IsBaseline)]);
            foreach (var @case in group)
            {
                var times = nsPerCall[@case];
                var median = Median(times);
                var name = @case.IsBaseline ? $"{@case.Name} (baseline)" : @case.Name;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{name,-60} {Nanoseconds(median),10} {Nanoseconds(times.Min()) + "–" + Nanoseconds(times.Max()),19} {CallsPerSecond(median),9} {median / baseline,11:N2}× {Median(bytesPerCall[@case]),8:N0} B"));
            }
        }

        await silo.StopAsync();
    }

    // A plain silo on free ports (another run may hold Orleans' defaults): nothing but the counter grain on it.
    private static async Task<IHost> StartSiloAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);

        // The benchmark prints the GC mode itself; the watchdog's first check after start reports a bogus stall.
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error).AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort: FreePort.Next(), gatewayPort: FreePort.Next()));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Nanoseconds(double ns) => ns >= 10_000
        ? string.Create(CultureInfo.InvariantCulture, $"{ns / 1000:N1} µs")
        : string.Create(CultureInfo.InvariantCulture, $"{ns:N1} ns");

    private static string CallsPerSecond(double nsPerCall)
    {
        var perSecond = 1e9 / nsPerCall;
        return perSecond >= 1e6
            ? string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1e6:N2} M")
            : string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1e3:N1} K");
    }
}
