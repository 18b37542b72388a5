namespace InventoryOrleans.Ingest.Transactions;

/// <summary>How a batch's publish-and-commit ended.</summary>
internal enum CommitStatus
{
    /// <summary>Its records are visible to <c>read_committed</c> readers and its offsets and marks are committed.</summary>
    Committed,

    /// <summary>Nothing of it committed (the transaction was aborted): re-read the batch.</summary>
    NotCommitted,

    /// <summary>Nothing of it committed because the group moved on (a rebalance, or this member was fenced).</summary>
    OwnershipLost,

    /// <summary>Whether it committed is unknown (the producer failed fatally mid-commit): ask Kafka what is committed.</summary>
    Unknown,
}
