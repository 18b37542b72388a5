namespace InventoryOrleans.Ingest.Metrics;

/// <summary>The stages of a batch.</summary>
public enum IngestStage
{
    Apply,
    Publish,
    Commit,
}
