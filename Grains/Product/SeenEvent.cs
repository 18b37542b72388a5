using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// One entry of the de-duplication window: the decision one message (or API event) got, so that a redelivery of the
/// same message can be answered with the same decision. For an applied on-hand change it also keeps the location,
/// event time and delta, which a late snapshot at that location re-adds. Persisted by <see cref="SeenEventCodec"/>.
/// </summary>
public sealed class SeenEvent
{
    public string EventId { get; set; } = "";

    /// <summary>
    /// Applied or Rejected for the first message that carried <see cref="EventId"/>; Duplicate for a later message
    /// with the same eventId (kept only so its redelivery repeats that answer; it does not extend the eventId's memory).
    /// </summary>
    public OutcomeStatus Status { get; set; }

    /// <summary>The rejection reason, or null.</summary>
    public string? Reason { get; set; }

    /// <summary>The product's version right after the decision.</summary>
    public long Version { get; set; }

    /// <summary>The input topic of the decided message; null for an event not read from Kafka. Pooled (<see cref="NamePool"/>).</summary>
    public string? Topic { get; set => field = NamePool.Intern(value); }

    public int Partition { get; set; }

    public long Offset { get; set; }

    /// <summary>The location of an applied on-hand change; null when the event changed no on-hand. Pooled (<see cref="NamePool"/>).</summary>
    public string? Location { get; set => field = NamePool.Intern(value); }

    /// <summary>Event time of the on-hand change as UTC ticks (only compared, so the offset is not needed).</summary>
    public long OccurredAtUtcTicks { get; set; }

    /// <summary>The signed on-hand change at <see cref="Location"/>.</summary>
    public long Delta { get; set; }

    /// <summary>Whether this entry is the decision of the message read at <paramref name="position"/>.</summary>
    public bool IsAt(EventPosition position) =>
        Offset == position.Offset && Partition == position.Partition && string.Equals(Topic, position.Topic, StringComparison.Ordinal);
}
