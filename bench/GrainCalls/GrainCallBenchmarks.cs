using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using InventoryOrleans.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Bench.GrainCalls;

/// <summary>
/// Grain calls through the runtime across many grains versus the same work on SemaphoreSlim-guarded objects, in one run.
/// Many concurrent callers each make a sequence of awaited calls, spread over all keys. Results are per call. Two groups, each
/// with its own baseline: callers that hold references (objects), and callers that find the target by key on every call
/// (GetGrain per call versus a ConcurrentDictionary of guarded objects).
/// (Not sealed: BenchmarkDotNet derives from benchmark classes.)
/// </summary>
[Config(typeof(GrainCallsConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class GrainCallBenchmarks
{
    private const int CallsPerCaller = 20_000;
    private const int Callers = 64;
    private const int TotalCalls = CallsPerCaller * Callers;

    private ServiceProvider? _services;
    private GrainRuntime? _runtime;
    private IBenchCounterGrain[] _grains = [];
    private GuardedCounter[] _guarded = [];
    private ConcurrentDictionary<string, GuardedCounter> _guardedByKey = new();
    private string[] _keys = [];

    [Params(10_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection()
            .AddGrainRuntime()
            .AddGrain<IBenchCounterGrain, BenchCounterGrain>()
            .BuildServiceProvider();
        _runtime = _services.GetRequiredService<GrainRuntime>();
        _keys = [.. Enumerable.Range(0, Keys).Select(i => $"product-{i:D6}")];
        _grains = [.. _keys.Select(_runtime.GetGrain<IBenchCounterGrain>)];
        _guarded = [.. _keys.Select(_ => new GuardedCounter())];
        _guardedByKey = new ConcurrentDictionary<string, GuardedCounter>(_keys.Zip(_guarded, KeyValuePair.Create), StringComparer.Ordinal);

        // Activate every grain up front: the benchmark measures calls, not activations.
        Task.WhenAll(_grains.Select(g => g.AddAsync(0))).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalCalls, Description = "SemaphoreSlim-guarded objects, held")]
    [BenchmarkCategory("held")]
    public Task Guarded() => RunCallers(static (self, i) => self._guarded[i].AddAsync(1));

    [Benchmark(OperationsPerInvoke = TotalCalls, Description = "Grain calls, references held")]
    [BenchmarkCategory("held")]
    public Task GrainCallsHeldReferences() => RunCallers(static (self, i) => self._grains[i].AddAsync(1));

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalCalls, Description = "SemaphoreSlim-guarded objects, by key")]
    [BenchmarkCategory("by key")]
    public Task GuardedByKey() => RunCallers(static (self, i) => self._guardedByKey[self._keys[i]].AddAsync(1));

    [Benchmark(OperationsPerInvoke = TotalCalls, Description = "Grain calls, GetGrain per call")]
    [BenchmarkCategory("by key")]
    public Task GrainCallsGetGrainPerCall() => RunCallers(static (self, i) => self._runtime!.GetGrain<IBenchCounterGrain>(self._keys[i]).AddAsync(1));

    private Task RunCallers(Func<GrainCallBenchmarks, int, Task<long>> call)
    {
        var callers = new Task[Callers];
        for (var c = 0; c < Callers; c++)
        {
            var start = c * 7919;
            callers[c] = Task.Run(async () =>
            {
                // Each caller strides over the keys from its own offset, so callers rarely hit the same key at once.
                var index = start % Keys;
                for (var n = 0; n < CallsPerCaller; n++)
                {
                    await call(this, index);
                    index += 31;
                    if (index >= Keys)
                    {
                        index -= Keys;
                    }
                }
            });
        }

        return Task.WhenAll(callers);
    }
}
