namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>How one attempt at a batch ended.</summary>
internal enum StepStatus
{
    /// <summary>Applied, published and committed.</summary>
    Done,

    /// <summary>Storage or broker unreachable before anything went out: pause and retry what is left, in the same attempt.</summary>
    Retry,

    /// <summary>
    /// A grain write met another writer's ETag, or a product went out in a newer owner's transaction: the attempt
    /// ends uncommitted and the batch is tried again in a new one (a silo that lost the partition is refused there).
    /// </summary>
    Fenced,

    /// <summary>The transaction was aborted (or, without transactions, publishing failed): try the batch again in a new attempt.</summary>
    NotCommitted,

    /// <summary>The commit was refused because the partitions moved on: the next owner replays the batch.</summary>
    OwnershipLost,

    /// <summary>Whether the transaction committed is unknown: Kafka's committed publication marks tell.</summary>
    Unknown,

    /// <summary>Applied, and its transaction begun on the committer's worker: its outcome is handled before the next batch's transaction begins.</summary>
    Committing,

    /// <summary>The batch before it did not commit, so this one's attempt (numbered after it) cannot: start over at once in a new attempt.</summary>
    Restart,
}

/// <summary>The status of an attempt and, when it failed, what failed.</summary>
/// <param name="StorageProblem">Redis (the grains' storage) failed, rather than Kafka.</param>
/// <param name="RegistryProblem">The schema registry could not be reached to look up the writer schemas of Avro input.</param>
/// <param name="Outage">A component was unreachable: pause and retry with backoff (a refusal is retried at once).</param>
internal readonly record struct StepResult(StepStatus Status, string? Problem = null, bool StorageProblem = false, bool Outage = true, bool RegistryProblem = false)
{
    public static StepResult Done { get; } = new(StepStatus.Done);
}
