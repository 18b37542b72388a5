namespace InventoryOrleans.Grains.Interfaces;

/// <summary>One record on <c>inventory.outcomes</c>: what the grain decided for one event.</summary>
/// <param name="Reason">Null unless <see cref="Status"/> is <see cref="OutcomeStatus.Rejected"/>; one of <see cref="RejectionReasons"/>.</param>
/// <param name="Version">The product's version after the decision (unchanged for duplicates and rejections).</param>
public sealed record EventOutcome(
    string EventId,
    string ProductId,
    OutcomeStatus Status,
    string? Reason,
    long Version,
    string? CorrelationId);
