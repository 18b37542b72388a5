namespace InventoryOrleans.Grains.Interfaces;

/// <summary>One stock event as it travels on the input topics (see docs/CONTRACTS.md "Inventory event").</summary>
/// <param name="Quantity">Absolute count for <see cref="InventoryEventType.Snapshot"/>, signed for <see cref="InventoryEventType.Adjustment"/>, else ≥ 0; at most <see cref="MaxQuantity"/> either way.</param>
/// <param name="LocationId">Defaults to <see cref="DefaultLocation"/>.</param>
[GenerateSerializer]
[Immutable]
[Alias("inventory.InventoryEvent")]
public sealed record InventoryEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] InventoryEventType Type,
    [property: Id(2)] string ProductId,
    [property: Id(3)] long Quantity,
    [property: Id(4)] DateTimeOffset OccurredAt,
    [property: Id(5)] string LocationId = InventoryEvent.DefaultLocation,
    [property: Id(6)] string? ReservationId = null,
    [property: Id(7)] DateTimeOffset? ExpiresAt = null,
    [property: Id(8)] string? Source = null,
    [property: Id(9)] string? CorrelationId = null)
{
    /// <summary>The location used when an event names none.</summary>
    public const string DefaultLocation = "default";

    /// <summary>Longest allowed eventId and productId.</summary>
    public const int MaxIdLength = 128;

    /// <summary>
    /// The largest quantity an event may carry (an Adjustment's in either direction). Far beyond any real count, and
    /// small enough that no handful of events can carry a count past what JSON readers hold exactly.
    /// </summary>
    public const long MaxQuantity = 1_000_000_000;
}
