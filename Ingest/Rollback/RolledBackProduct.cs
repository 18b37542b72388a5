namespace InventoryOrleans.Ingest.Rollback;

/// <summary>
/// A product whose stored state lacks the decision about a message the group committed: its last message in the
/// checked range (<see cref="Topic"/>/<see cref="Partition"/>@<see cref="Offset"/>, carrying <see cref="EventId"/>).
/// </summary>
public sealed record RolledBackProduct(string ProductId, string Topic, int Partition, long Offset, string EventId, DateTimeOffset FoundAt);
