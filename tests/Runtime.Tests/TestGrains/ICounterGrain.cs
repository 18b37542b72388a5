namespace InventoryOrleans.Runtime.Tests.TestGrains;

/// <summary>A persisted counter; every method shape the runtime supports.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds one and writes the state.</summary>
    Task<int> IncrementAsync();

    /// <summary>Adds one in memory only (not persisted).</summary>
    Task<int> IncrementInMemoryAsync();

    Task<int> GetAsync();

    /// <summary>Identity of the activation's instance.</summary>
    ValueTask<Guid> GetInstanceIdAsync();

    /// <summary>Asks for deactivation, then awaits a little so later calls queue behind this turn.</summary>
    Task<Guid> DeactivateSoonAsync();

    Task FailAsync();

    ValueTask PingAsync();
}
