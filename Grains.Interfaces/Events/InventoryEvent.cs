namespace InventoryOrleans.Grains.Interfaces;

/// <summary>One stock event as it travels on the input topics (see CONTRACTS.md "Inventory event").</summary>
/// <param name="Quantity">Absolute count for <see cref="InventoryEventType.Snapshot"/>, signed for <see cref="InventoryEventType.Adjustment"/>, else ≥ 0.</param>
/// <param name="LocationId">Defaults to <see cref="DefaultLocation"/>.</param>
public sealed record InventoryEvent(
    string EventId,
    InventoryEventType Type,
    string ProductId,
    long Quantity,
    DateTimeOffset OccurredAt,
    string LocationId = InventoryEvent.DefaultLocation,
    string? ReservationId = null,
    DateTimeOffset? ExpiresAt = null,
    string? Source = null,
    string? CorrelationId = null)
{
    /// <summary>The location used when an event names none.</summary>
    public const string DefaultLocation = "default";

    /// <summary>Longest allowed eventId and productId.</summary>
    public const int MaxIdLength = 128;
}
