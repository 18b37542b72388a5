namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>How one attempt at a batch ended.</summary>
internal enum StepStatus
{
    /// <summary>Applied, published and committed.</summary>
    Done,

    /// <summary>Storage or broker unreachable: pause and retry what is left.</summary>
    Retry,

    /// <summary>A grain write met another writer's ETag: this silo lost a product to another owner; drop the rest and re-read.</summary>
    Fenced,

    /// <summary>The commit was refused because the partitions moved on: the next owner replays (as duplicates).</summary>
    OwnershipLost,
}

/// <summary>The status of an attempt and, for <see cref="StepStatus.Retry"/>, what failed.</summary>
internal readonly record struct StepResult(StepStatus Status, string? Problem = null, bool StorageProblem = false)
{
    public static StepResult Done { get; } = new(StepStatus.Done);
}
