namespace InventoryOrleans.Runtime.Tests.TestGrains;

/// <summary>Detects two turns running at once.</summary>
public interface IOverlapGrain : IGrainWithStringKey
{
    /// <summary>Counts the call, awaiting inside the turn; returns the count after this call.</summary>
    Task<int> TouchAsync();

    /// <summary>As <see cref="TouchAsync"/>, then asks for deactivation.</summary>
    Task<int> TouchAndDeactivateAsync();
}
