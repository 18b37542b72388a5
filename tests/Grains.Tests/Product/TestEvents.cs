using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;

namespace InventoryOrleans.Grains.Tests.Product;

/// <summary>Short builders for the events and ledgers the rule tests use.</summary>
internal static class TestEvents
{
    public const string ProductId = "sku-1";

    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static InventoryEvent Event(
        string eventId,
        InventoryEventType type,
        long quantity,
        DateTimeOffset? occurredAt = null,
        string location = InventoryEvent.DefaultLocation,
        string? reservationId = null,
        DateTimeOffset? expiresAt = null,
        string? correlationId = null) =>
        new(eventId, type, ProductId, quantity, occurredAt ?? T0, location, reservationId, expiresAt, CorrelationId: correlationId);

    public static InventoryEvent Receipt(string eventId, long quantity, DateTimeOffset? at = null, string location = InventoryEvent.DefaultLocation) =>
        Event(eventId, InventoryEventType.Receipt, quantity, at, location);

    public static InventoryEvent Sale(string eventId, long quantity, DateTimeOffset? at = null, string location = InventoryEvent.DefaultLocation) =>
        Event(eventId, InventoryEventType.Sale, quantity, at, location);

    public static InventoryEvent Snapshot(string eventId, long quantity, DateTimeOffset at, string location = InventoryEvent.DefaultLocation) =>
        Event(eventId, InventoryEventType.Snapshot, quantity, at, location);

    public static InventoryEvent Reserve(string eventId, string reservationId, long quantity, DateTimeOffset? expiresAt = null) =>
        Event(eventId, InventoryEventType.Reservation, quantity, reservationId: reservationId, expiresAt: expiresAt);

    public static InventoryEvent Release(string eventId, string reservationId) =>
        Event(eventId, InventoryEventType.ReservationRelease, 0, reservationId: reservationId);

    public static InventoryEvent Fulfill(string eventId, string reservationId, long quantity, string location = InventoryEvent.DefaultLocation) =>
        Event(eventId, InventoryEventType.Fulfillment, quantity, location: location, reservationId: reservationId);

    public static ProductLedger NewLedger(int windowSize = 10_000) => new(ProductId, new ProductState(), windowSize);

    /// <summary>The state as storage would see it: two equal strings mean nothing observable changed.</summary>
    public static string Persisted(ProductLedger ledger) => JsonSerializer.Serialize(ledger.State, JsonOptions);

    public static ProductState RoundTrip(ProductState state) =>
        JsonSerializer.Deserialize<ProductState>(JsonSerializer.Serialize(state, JsonOptions), JsonOptions)!;

    // The runtime's serializer uses the web defaults.
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
