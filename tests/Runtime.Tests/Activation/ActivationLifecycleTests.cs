using InventoryOrleans.Runtime.Tests.TestGrains;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Runtime.Tests.Activation;

/// <summary>Activation failure and retry, DeactivateOnIdle, explicit deactivation, idle collection, shutdown.</summary>
public sealed class ActivationLifecycleTests
{
    [Fact]
    public async Task Activation_OnActivateThrows_CallFailsWithCauseAndNextCallRetries()
    {
        await using var silo = await TestSilo.StartAsync();
        silo.Probe.FailNextActivations(1);
        var grain = silo.Factory.GetGrain<ICounterGrain>("flaky");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(grain.GetAsync);

        Assert.Equal("injected activation failure", error.Message);
        Assert.False(silo.Runtime.IsActive("CounterGrain", "flaky"));
        Assert.Equal(0, await grain.GetAsync());
        Assert.Equal(1, silo.Probe.Activations);
    }

    [Fact]
    public async Task DeactivateOnIdle_AfterTurn_NextCallGetsFreshActivationWithPersistedState()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Factory.GetGrain<ICounterGrain>("drop");
        await grain.IncrementAsync();
        await grain.IncrementInMemoryAsync();
        var old = await grain.GetInstanceIdAsync();

        Assert.Equal(old, await grain.DeactivateSoonAsync());

        Assert.NotEqual(old, await grain.GetInstanceIdAsync());
        Assert.Equal(1, await grain.GetAsync());
        Assert.True(silo.Probe.WasDeactivated("drop", DeactivationReason.ApplicationRequested));
    }

    [Fact]
    public async Task DeactivateOnIdle_CallsQueuedBehindTheTurn_NeverReachTheOldInstance()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Factory.GetGrain<ICounterGrain>("queued");
        var old = await grain.GetInstanceIdAsync();

        var deactivating = grain.DeactivateSoonAsync();
        var later = Enumerable.Range(0, 50).Select(_ => grain.GetInstanceIdAsync().AsTask()).ToList();

        Assert.Equal(old, await deactivating);
        var ids = await Task.WhenAll(later);
        Assert.DoesNotContain(old, ids);
        Assert.Single(ids.Distinct());
    }

    [Fact]
    public async Task DeactivateAsync_Predicate_DeactivatesOnlyChosenKeys()
    {
        await using var silo = await TestSilo.StartAsync();
        foreach (var key in new[] { "p1-a", "p1-b", "p2-a" })
        {
            await silo.Factory.GetGrain<ICounterGrain>(key).PingAsync();
        }

        await silo.Runtime.DeactivateAsync((type, key) => type == "CounterGrain" && key.StartsWith("p1-", StringComparison.Ordinal));

        Assert.True(silo.Probe.WasDeactivated("p1-a", DeactivationReason.ExplicitDeactivation));
        Assert.True(silo.Probe.WasDeactivated("p1-b", DeactivationReason.ExplicitDeactivation));
        Assert.False(silo.Runtime.IsActive("CounterGrain", "p1-a"));
        Assert.True(silo.Runtime.IsActive("CounterGrain", "p2-a"));
        Assert.Equal(1, silo.Runtime.Metrics.Snapshot().ActivationsOf("CounterGrain"));
    }

    [Fact]
    public async Task DeactivateAsync_TurnInFlight_WaitsForTheTurnToFinish()
    {
        await using var silo = await TestSilo.StartAsync();
        var call = silo.Factory.GetGrain<IBlockingGrain>("busy").WaitForGateAsync();
        await silo.Probe.GateEntered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var deactivation = silo.Runtime.DeactivateAsync((_, key) => key == "busy");
        Assert.False(deactivation.IsCompleted);
        Assert.Empty(silo.Probe.Deactivations);

        silo.Probe.Gate.SetResult();
        await deactivation.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("busy", await call);
        Assert.True(silo.Probe.WasDeactivated("busy", DeactivationReason.ExplicitDeactivation));
    }

    [Fact]
    public async Task IdleCollection_IdleLongerThanAge_DeactivatesAndNextCallReloadsState()
    {
        var time = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(time: time);
        var grain = silo.Factory.GetGrain<ICounterGrain>("idle");
        await grain.IncrementAsync();
        await grain.IncrementInMemoryAsync();

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(silo.Probe.Deactivations);
        Assert.True(silo.Runtime.IsActive("CounterGrain", "idle"));

        time.Advance(TimeSpan.FromMinutes(7));
        await Eventually.TrueAsync(() => silo.Probe.WasDeactivated("idle", DeactivationReason.IdleCollection), TimeSpan.FromSeconds(5), "the idle grain is collected");
        await Eventually.TrueAsync(() => !silo.Runtime.IsActive("CounterGrain", "idle"), TimeSpan.FromSeconds(5), "the activation left the directory");

        Assert.Equal(1, await grain.GetAsync());
        Assert.Equal(2, silo.Probe.Activations);
    }

    [Fact]
    public async Task IdleCollection_CalledWithinAge_StaysActive()
    {
        var time = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(time: time, configure: o => o.CollectionAge = TimeSpan.FromMinutes(5));
        var grain = silo.Factory.GetGrain<ICounterGrain>("busy");

        for (var i = 0; i < 10; i++)
        {
            await grain.PingAsync();
            time.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.Empty(silo.Probe.Deactivations);
        Assert.Equal(1, silo.Probe.Activations);
    }

    [Fact]
    public async Task StopAsync_ActiveGrains_DeactivatesAllAndRefusesNewCalls()
    {
        await using var silo = await TestSilo.StartAsync();
        foreach (var key in new[] { "a", "b", "c" })
        {
            await silo.Factory.GetGrain<ICounterGrain>(key).PingAsync();
        }

        await silo.Runtime.StopAsync(CancellationToken.None);

        Assert.Equal(3, silo.Probe.Deactivations.Count(d => d.Reason == DeactivationReason.ShuttingDown));
        Assert.Equal(0, silo.Runtime.ActivationCount);
        await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Factory.GetGrain<ICounterGrain>("a").GetAsync());
    }
}
