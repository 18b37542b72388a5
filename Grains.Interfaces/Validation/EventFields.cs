namespace InventoryOrleans.Grains.Interfaces.Validation;

/// <summary>
/// The fields of one input message as its wire format (JSON or Avro) decoded them, before the contract's rules: what
/// <see cref="InventoryEventValidator"/> turns into an event or a dead-letter reason. Null means absent.
/// </summary>
public readonly record struct EventFields(
    string? EventId,
    string? Type,
    string? ProductId,
    long? Quantity,
    EventTimestamp? OccurredAt,
    string? LocationId,
    string? ReservationId,
    EventTimestamp? ExpiresAt,
    string? Source,
    string? CorrelationId);
