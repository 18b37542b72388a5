namespace InventoryOrleans.Grains.Interfaces;

/// <summary>What the grain decided for one event: the body of a record on <c>inventory.outcomes</c>.</summary>
/// <param name="Reason">Null unless <see cref="Status"/> is <see cref="OutcomeStatus.Rejected"/>; one of <see cref="RejectionReasons"/>.</param>
/// <param name="Version">The product's version right after the decision (unchanged for duplicates and rejections).</param>
/// <param name="Position">The input message decided (null for an event not read from Kafka).</param>
[GenerateSerializer]
[Immutable]
[Alias("inventory.EventOutcome")]
public sealed record EventOutcome(
    [property: Id(0)] string EventId,
    [property: Id(1)] string ProductId,
    [property: Id(2)] OutcomeStatus Status,
    [property: Id(3)] string? Reason,
    [property: Id(4)] long Version,
    [property: Id(5)] string? CorrelationId,
    [property: Id(6)] EventPosition? Position = null);
