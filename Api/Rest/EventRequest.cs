namespace InventoryOrleans.Api.Rest;

/// <summary>
/// The body of <c>POST /api/events</c>, as documented in OpenAPI: one inventory event as on the topics
/// (docs/CONTRACTS.md "Inventory event"). The handler reads the raw JSON and validates it with the ingest's own parser.
/// </summary>
/// <param name="EventId">1–128 characters; made up when left out.</param>
/// <param name="Type"><c>Snapshot</c>, <c>Receipt</c>, <c>Sale</c>, <c>Return</c>, <c>Adjustment</c>, <c>TransferOut</c>, <c>TransferIn</c>, <c>Reservation</c>, <c>ReservationRelease</c>, <c>Fulfillment</c>.</param>
/// <param name="OccurredAt">RFC 3339; the server's clock when left out.</param>
/// <param name="Source">Defaults to <c>API</c>.</param>
public sealed record EventRequest(
    string? EventId,
    string Type,
    string ProductId,
    long? Quantity,
    string? OccurredAt,
    string? LocationId,
    string? ReservationId,
    string? ExpiresAt,
    string? Source,
    string? CorrelationId);
