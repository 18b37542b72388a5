namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// Where a test makes the ingest fail on purpose: right after a batch's products are applied and persisted, before
/// anything of it is published, the point where a crash loses no state but every outcome of the batch. The silo's
/// composition registers none (<see cref="IngestPipeline"/> then has nothing to call); test silos register theirs
/// before they start, and may call <see cref="IngestPipeline.Kill"/> or block there.
/// </summary>
public interface IBatchFaultInjector
{
    /// <summary>Called on the pipeline's thread, once per applied batch.</summary>
    void AfterApplied();
}
