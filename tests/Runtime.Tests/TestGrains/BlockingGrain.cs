namespace InventoryOrleans.Runtime.Tests.TestGrains;

/// <summary>Holds its turn until <see cref="GrainProbe.Gate"/> opens; reports deactivations.</summary>
public sealed class BlockingGrain(GrainProbe probe) : Grain, IBlockingGrain
{
    public async Task<string> WaitForGateAsync()
    {
        probe.GateEntered.TrySetResult();
        await probe.Gate.Task;
        return GetPrimaryKeyString();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Deactivations.Enqueue((GetPrimaryKeyString(), reason));
        return Task.CompletedTask;
    }
}
