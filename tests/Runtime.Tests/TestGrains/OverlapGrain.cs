namespace InventoryOrleans.Runtime.Tests.TestGrains;

/// <summary>Reports to the probe when a turn starts while another is still inside.</summary>
public sealed class OverlapGrain(GrainProbe probe) : Grain, IOverlapGrain
{
    private int _inside;
    private int _count;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.OnInstanceStarted(GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.OnInstanceStopped(GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<int> TouchAndDeactivateAsync()
    {
        var count = await TouchAsync();
        DeactivateOnIdle();
        return count;
    }

    public async Task<int> TouchAsync()
    {
        if (Interlocked.Increment(ref _inside) != 1)
        {
            probe.OnOverlap();
        }

        await Task.Yield();
        var seen = _count;
        await Task.Yield();
        _count = seen + 1;
        Interlocked.Decrement(ref _inside);
        return _count;
    }
}
