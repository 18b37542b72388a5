using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// One entry of the de-duplication window. For an applied on-hand change it also keeps the location, event time and
/// delta, which a late snapshot at that location re-adds. Persisted by <see cref="SeenEventWindowConverter"/>.
/// </summary>
public sealed class SeenEvent
{
    public string EventId { get; set; } = "";

    /// <summary>The decided status (Applied or Rejected); a redelivery of <see cref="EventId"/> is answered Duplicate.</summary>
    public OutcomeStatus Status { get; set; }

    /// <summary>The location of an applied on-hand change; null when the event changed no on-hand.</summary>
    public string? Location { get; set; }

    /// <summary>Event time of the on-hand change as UTC ticks (only compared, so the offset is not needed).</summary>
    public long OccurredAtUtcTicks { get; set; }

    /// <summary>The signed on-hand change at <see cref="Location"/>.</summary>
    public long Delta { get; set; }
}
