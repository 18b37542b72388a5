using InventoryOrleans.Runtime.Tests.TestGrains;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Runtime.Tests.Storage;

/// <summary>IPersistentState through the runtime, on each provider: state survives reactivation; a zombie's stale write fails.</summary>
public abstract class PersistentStateTests
{
    /// <summary>Registers this provider; two silos given the same registration share one store.</summary>
    protected abstract void AddStorage(IServiceCollection services);

    [Fact]
    public async Task State_DeactivatedAndReactivated_IsReloadedFromStorage()
    {
        await using var silo = await TestSilo.StartAsync(AddStorage);
        var key = $"survivor-{Guid.NewGuid():N}";
        var grain = silo.Factory.GetGrain<ICounterGrain>(key);
        for (var i = 0; i < 3; i++)
        {
            await grain.IncrementAsync();
        }

        await silo.Runtime.DeactivateAsync((_, k) => k == key);

        Assert.Equal(3, await grain.GetAsync());
        Assert.Equal(2, silo.Probe.Activations);
    }

    [Fact]
    public async Task State_WrittenByOneSilo_IsSeenByAnotherSharingTheStore()
    {
        var key = $"shared-{Guid.NewGuid():N}";
        await using (var first = await TestSilo.StartAsync(AddStorage))
        {
            await first.Factory.GetGrain<ICounterGrain>(key).IncrementAsync();
            await first.Factory.GetGrain<ICounterGrain>(key).IncrementAsync();
        }

        await using var second = await TestSilo.StartAsync(AddStorage);
        Assert.Equal(2, await second.Factory.GetGrain<ICounterGrain>(key).GetAsync());
    }

    [Fact]
    public async Task WriteStateAsync_ZombieWritesAfterNewOwner_ThrowsInconsistentStateAndZombieReloads()
    {
        var key = $"fenced-{Guid.NewGuid():N}";
        await using var zombie = await TestSilo.StartAsync(AddStorage);
        await using var owner = await TestSilo.StartAsync(AddStorage);
        Assert.Equal(1, await zombie.Factory.GetGrain<ICounterGrain>(key).IncrementAsync());
        Assert.Equal(2, await owner.Factory.GetGrain<ICounterGrain>(key).IncrementAsync());

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => zombie.Factory.GetGrain<ICounterGrain>(key).IncrementAsync());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Equal(2, await owner.Factory.GetGrain<ICounterGrain>(key).GetAsync());
        Assert.Equal(3, await zombie.Factory.GetGrain<ICounterGrain>(key).IncrementAsync());
        Assert.True(zombie.Probe.WasDeactivated(key, DeactivationReason.InconsistentState));
    }
}
