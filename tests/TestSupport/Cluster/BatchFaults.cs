using InventoryOrleans.Ingest.Pipeline;

namespace InventoryOrleans.TestSupport.Cluster;

/// <summary>
/// The test cluster's fault point in each silo's ingest (<see cref="IBatchFaultInjector"/>): a test subscribes to
/// <see cref="Applied"/> (<c>Service&lt;BatchFaults&gt;(silo)</c>) to kill the silo, block, or count right after a batch is
/// applied and persisted and before any of it is published.
/// </summary>
public sealed class BatchFaults : IBatchFaultInjector
{
    /// <summary>Raised on the pipeline's thread after each applied batch.</summary>
    public event Action? Applied;

    void IBatchFaultInjector.AfterApplied() => Applied?.Invoke();
}
