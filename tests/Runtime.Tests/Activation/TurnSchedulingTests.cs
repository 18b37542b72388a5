using InventoryOrleans.Runtime.Tests.TestGrains;

namespace InventoryOrleans.Runtime.Tests.Activation;

/// <summary>One turn at a time per activation; activations in parallel with each other.</summary>
public sealed class TurnSchedulingTests
{
    [Fact]
    public async Task InvokeAsync_ThousandConcurrentCallsToOneGrain_NeverInterleave()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Factory.GetGrain<IOverlapGrain>("one");

        var calls = new Task<int>[1000];
        Parallel.For(0, calls.Length, i => calls[i] = grain.TouchAsync());
        var results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, silo.Probe.Overlaps);
        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
    }

    [Fact]
    public async Task InvokeAsync_ConcurrentCallsWithRepeatedDeactivations_NeverOverlapAndNeverTwoInstances()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Factory.GetGrain<IOverlapGrain>("churn");

        var calls = new Task<int>[2000];
        Parallel.For(0, calls.Length, i => calls[i] = i % 50 == 0 ? grain.TouchAndDeactivateAsync() : grain.TouchAsync());
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, silo.Probe.Overlaps);
        Assert.Equal(1, silo.Probe.MaxLiveInstances);
    }

    [Fact]
    public async Task InvokeAsync_TwoGrainsWaitingForEachOther_RunInParallel()
    {
        await using var silo = await TestSilo.StartAsync();

        var first = silo.Factory.GetGrain<IMeetingGrain>("a").MeetAsync();
        var second = silo.Factory.GetGrain<IMeetingGrain>("b").MeetAsync();

        // If activations were serialized, the first call would hold the only turn and both would time out.
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, silo.Probe.Arrivals);
    }

    [Fact]
    public async Task InvokeAsync_SameKeyManyCallers_CreatesOneActivation()
    {
        await using var silo = await TestSilo.StartAsync();

        var ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(async () => await silo.Factory.GetGrain<ICounterGrain>("shared").GetInstanceIdAsync())));

        Assert.Single(ids.Distinct());
        Assert.Equal(1, silo.Probe.Activations);
    }

    [Fact]
    public async Task InvokeAsync_GrainMethodThrows_CallFailsAndActivationServesNextCall()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Factory.GetGrain<ICounterGrain>("throws");
        var before = await grain.GetInstanceIdAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(grain.FailAsync);

        Assert.Equal("grain method failed on purpose", error.Message);
        Assert.Equal(before, await grain.GetInstanceIdAsync());
    }
}
