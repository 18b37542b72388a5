namespace InventoryOrleans.Runtime.Tests.TestGrains;

/// <summary>A call that stays in its turn until the test opens the probe's gate.</summary>
public interface IBlockingGrain : IGrainWithStringKey
{
    Task<string> WaitForGateAsync();
}
