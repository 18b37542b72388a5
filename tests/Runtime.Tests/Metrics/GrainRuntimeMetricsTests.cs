using InventoryOrleans.Runtime.Tests.TestGrains;

namespace InventoryOrleans.Runtime.Tests.Metrics;

/// <summary>Calls, errors, latency buckets and activations show in the snapshot.</summary>
public sealed class GrainRuntimeMetricsTests
{
    [Fact]
    public async Task Snapshot_AfterCalls_CountsCallsErrorsLatenciesAndActivations()
    {
        await using var silo = await TestSilo.StartAsync(configure: o => o.LatencySampling = 1);
        for (var i = 0; i < 5; i++)
        {
            await silo.Factory.GetGrain<ICounterGrain>($"m{i % 2}").IncrementInMemoryAsync();
        }

        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Factory.GetGrain<ICounterGrain>("m0").FailAsync());
        }

        var snapshot = silo.Runtime.Metrics.Snapshot();

        var increments = snapshot.Find("CounterGrain", "IncrementInMemoryAsync")!;
        Assert.Equal(5, increments.Calls);
        Assert.Equal(0, increments.Errors);
        Assert.Equal(5, increments.LatencyBucketCounts.Sum());
        Assert.Equal(LatencyBuckets.Count, increments.LatencyBucketCounts.Count);
        Assert.InRange(increments.LatencyQuantile(0.5), TimeSpan.FromTicks(1), TimeSpan.FromSeconds(30));
        var failures = snapshot.Find("CounterGrain", "FailAsync")!;
        Assert.Equal(2, failures.Calls);
        Assert.Equal(2, failures.Errors);
        Assert.Equal(2, snapshot.ActivationsOf("CounterGrain"));
        Assert.Equal(0, snapshot.Find("CounterGrain", "GetAsync")!.Calls);
    }

    [Fact]
    public async Task Snapshot_DefaultSampling_CountsEveryCallAndTimesOneInEight()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Factory.GetGrain<ICounterGrain>("sampled");
        for (var i = 0; i < 64; i++)
        {
            await grain.PingAsync();
        }

        var pings = silo.Runtime.Metrics.Snapshot().Find("CounterGrain", "PingAsync")!;

        Assert.Equal(64, pings.Calls);
        // Counted per processor stripe, so a stripe's remainder (< 8 calls) may be untimed.
        Assert.InRange(pings.LatencyBucketCounts.Sum(), Math.Max(1, 8 - Environment.ProcessorCount), 8);
    }

    [Fact]
    public void LatencyBuckets_IndexOf_PutsLatencyInFirstBucketAtOrAboveIt()
    {
        Assert.Equal(0, LatencyBuckets.IndexOf(0));
        Assert.Equal(0, LatencyBuckets.IndexOf(1));
        Assert.Equal(3, LatencyBuckets.IndexOf(10));
        Assert.Equal(4, LatencyBuckets.IndexOf(11));
        Assert.Equal(LatencyBuckets.Count - 1, LatencyBuckets.IndexOf(long.MaxValue));
    }
}
