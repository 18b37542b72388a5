namespace InventoryOrleans.Runtime.Tests.TestGrains;

/// <summary>A persisted counter used by most runtime tests.</summary>
public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state, GrainProbe probe) : Grain, ICounterGrain
{
    private readonly Guid _instance = Guid.NewGuid();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.OnActivated();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Deactivations.Enqueue((GetPrimaryKeyString(), reason));
        return Task.CompletedTask;
    }

    public async Task<int> IncrementAsync()
    {
        state.State.Value++;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<int> IncrementInMemoryAsync() => Task.FromResult(++state.State.Value);

    public Task<int> GetAsync() => Task.FromResult(state.State.Value);

    public ValueTask<Guid> GetInstanceIdAsync() => ValueTask.FromResult(_instance);

    public async Task<Guid> DeactivateSoonAsync()
    {
        DeactivateOnIdle();
        await Task.Delay(50);
        return _instance;
    }

    public Task FailAsync() => throw new InvalidOperationException("grain method failed on purpose");

    public ValueTask PingAsync() => ValueTask.CompletedTask;
}
