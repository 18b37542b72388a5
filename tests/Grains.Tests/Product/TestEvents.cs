using System.Runtime.CompilerServices;
using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Storage;

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

    /// <summary>
    /// Saves the state as the storage provider does (head JSON plus the unsaved segment changes, applied to the segments this
    /// state chain stored before) and loads it back (head, then every stored segment in id order).
    /// </summary>
    public static ProductState RoundTrip(ProductState state)
    {
        var segmented = (ISegmentedState)state;
        var stored = StoredSegments.GetValue(state, static _ => new SortedDictionary<long, byte[]>());
        var changes = segmented.GetUnsavedSegmentChanges();
        foreach (var added in changes.Added)
        {
            stored[added.Id] = added.Data;
        }

        foreach (var dropped in changes.Dropped)
        {
            Assert.True(stored.Remove(dropped), $"segment {dropped} was dropped but never stored");
        }

        segmented.MarkSegmentChangesSaved(changes);
        var head = JsonSerializer.SerializeToUtf8Bytes(state, JsonOptions);

        var loaded = JsonSerializer.Deserialize<ProductState>(head, JsonOptions)!;
        ((ISegmentedState)loaded).RestoreSegments(stored.Select(s => new StateSegment(s.Key, s.Value)).ToList());
        StoredSegments.Add(loaded, new SortedDictionary<long, byte[]>(stored));
        return loaded;
    }

    // The segments "storage" holds for a state loaded by RoundTrip (and for the states it is saved from).
    private static readonly ConditionalWeakTable<ProductState, SortedDictionary<long, byte[]>> StoredSegments = new();

    // SegmentedRedisStorageOptions.JsonOptions: the web defaults.
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
