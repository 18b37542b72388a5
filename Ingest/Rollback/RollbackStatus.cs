namespace InventoryOrleans.Ingest.Rollback;

/// <summary>
/// What <c>/readyz</c> reports of the rollback check: the products found rolled back and not repaired yet (in the
/// partitions this silo consumes), and the topic-partitions being checked right now.
/// </summary>
public sealed record RollbackStatus(IReadOnlyList<RolledBackProduct> RolledBack, IReadOnlyList<string> Checking);
