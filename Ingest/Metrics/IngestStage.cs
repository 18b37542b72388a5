namespace InventoryOrleans.Ingest.Metrics;

/// <summary>The stages of a batch, in the order a batch goes through them.</summary>
public enum IngestStage
{
    /// <summary>Polling the consumer for the batch's messages (mostly waiting for them to arrive).</summary>
    Consume,

    /// <summary>Parsing and validating the messages and grouping them by product.</summary>
    Parse,

    /// <summary>Applying each product's events to its grain and persisting the grain's state.</summary>
    Apply,

    /// <summary>Producing outcomes, net stock and dead letters and waiting for their delivery reports.</summary>
    Publish,

    /// <summary>Committing the batch's offsets.</summary>
    Commit,
}
