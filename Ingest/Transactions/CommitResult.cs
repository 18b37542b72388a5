namespace InventoryOrleans.Ingest.Transactions;

/// <summary>The outcome of <see cref="IBatchCommitter.Commit"/>: its status and, when it failed, why.</summary>
/// <param name="Outage">The broker could not be reached (pause and retry with backoff), rather than a refusal.</param>
internal readonly record struct CommitResult(CommitStatus Status, string? Problem = null, bool Outage = false)
{
    public static CommitResult Committed { get; } = new(CommitStatus.Committed);
}
