using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Storage;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// The persisted state of one product grain (System.Text.Json); the rules in <see cref="ProductLedger"/> change it.
/// Stored segmented (<see cref="ISegmentedState"/>): the JSON is a small head, the window's sealed segments are stored beside it.
/// </summary>
public sealed class ProductState : ISegmentedState
{
    /// <summary>On-hand per location; the product's on-hand is the sum.</summary>
    public Dictionary<string, long> OnHand { get; set; } = new(StringComparer.Ordinal);

    public long Reserved { get; set; }

    public long InTransit { get; set; }

    /// <summary>Grows by one with every applied event and every expired reservation.</summary>
    public long Version { get; set; }

    public string? LastEventId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Held reservations by reservationId.</summary>
    public Dictionary<string, ReservationHold> Reservations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The <c>occurredAt</c> of the last snapshot applied per location (stale-snapshot check).</summary>
    public Dictionary<string, DateTimeOffset> LastSnapshotAt { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The last processed offset per input topic-partition, keyed <c>"topic/partition"</c> (redelivery check).</summary>
    public Dictionary<string, long> Offsets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Reservations were released by expiry and their net stock is not confirmed published yet: the expiry reminder
    /// keeps firing until it is.
    /// </summary>
    public bool ExpiryPublishPending { get; set; }

    /// <summary>When the expiry reminder was last registered to fire; null when the grain dropped it (or never had one).</summary>
    public DateTimeOffset? ExpiryReminderAt { get; set; }

    /// <summary>Until when the stock is published on its Orleans stream after each change (someone watches it); null when never watched.</summary>
    public DateTimeOffset? WatchedUntil { get; set; }

    /// <summary>The product's own low-stock threshold (set by a <c>LowStockThreshold</c> event); null: the default.</summary>
    public long? LowStockThreshold { get; set; }

    /// <summary>The threshold the last change was judged by (the product's own or the default then).</summary>
    public long ThresholdInForce { get; set; }

    /// <summary>Whether the product was low (available ≤ threshold) after its last change; a product starts not low.</summary>
    public bool LowStock { get; set; }

    /// <summary>
    /// The low-stock alerts a crash may have kept off <c>inventory.alerts</c>, oldest first: those raised in the latest
    /// batch of new messages of each input topic-partition (<see cref="AlertSpans"/>), which a replay of that batch
    /// publishes again, and those of expiry releases not yet confirmed published (<see cref="ExpiryAlertsAfter"/>).
    /// </summary>
    public List<LowStockAlert> RecentAlerts { get; set; } = [];

    /// <summary>Per input topic-partition (<c>"topic/partition"</c>), the versions its latest batch of new messages changed.</summary>
    public Dictionary<string, AlertSpan> AlertSpans { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The version before the first expiry release whose alerts are not yet confirmed published; null when none are pending.</summary>
    public long? ExpiryAlertsAfter { get; set; }

    /// <summary>The de-duplication window: recently decided events, oldest first, bounded by the window size.</summary>
    public SeenEventWindow Window { get; set; } = new();

    /// <summary>
    /// The stock as published on <c>inventory.net-stock</c>. Cheap (no window index), so readers of stored state that
    /// do not apply events use this rather than a <see cref="ProductLedger"/>.
    /// </summary>
    public StockView ToStockView(string productId) => ToStockView(productId, ThresholdInForce);

    /// <summary>The stock as published, with <paramref name="threshold"/> as the threshold in force.</summary>
    public StockView ToStockView(string productId, long threshold)
    {
        var onHand = 0L;
        foreach (var atLocation in OnHand.Values)
        {
            onHand += atLocation;
        }

        return new StockView(
            productId,
            onHand,
            Reserved,
            InTransit,
            onHand - Reserved,
            Version,
            LastEventId,
            UpdatedAt,
            new Dictionary<string, long>(OnHand, StringComparer.Ordinal),
            LowStock,
            threshold);
    }

    StateSegmentChanges ISegmentedState.GetUnsavedSegmentChanges() => Window.GetUnsavedChanges();

    void ISegmentedState.MarkSegmentChangesSaved(StateSegmentChanges saved) => Window.MarkSaved(saved);

    void ISegmentedState.RestoreSegments(IReadOnlyList<StateSegment> segments) => Window.Restore(segments);
}
