namespace InventoryOrleans.Grains.Interfaces;

/// <summary>The product grain's decision about an event, as the API's outcome wait reports it.</summary>
/// <param name="Status">Applied or Rejected: the decision of the eventId (a repeat of a decided eventId gets the original).</param>
/// <param name="Reason">The rejection reason, or null.</param>
/// <param name="Version">The product's version right after the decision.</param>
/// <param name="Stock">The stock right after the decision when it was this wait that saw it made; the current stock when the eventId had been decided before.</param>
[GenerateSerializer]
[Immutable]
[Alias("inventory.EventDecision")]
public sealed record EventDecision(
    [property: Id(0)] OutcomeStatus Status,
    [property: Id(1)] string? Reason,
    [property: Id(2)] long Version,
    [property: Id(3)] StockView Stock);
