using System.Text.Json.Serialization;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Publication;
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
    /// The highest version whose net stock (and every alert up to it) reached <c>read_committed</c> readers; null in a
    /// state written before publications were tracked (the ledger counts it as published up to its version).
    /// </summary>
    public long? PublishedVersion { get; set; }

    /// <summary>The publication attempt the changes after <see cref="PublishedVersion"/> went out in, not yet known committed.</summary>
    public PendingPublication? PendingPublication { get; set; }

    /// <summary>
    /// An earlier attempt still in flight when <see cref="PendingPublication"/> was claimed (the ingest applies the next
    /// batch while the previous one commits): it covers the changes up to its version, and
    /// <see cref="PendingPublication"/> those after it. Null when only one attempt is pending.
    /// </summary>
    public PendingPublication? EarlierPublication { get; set; }

    /// <summary>The version after the last reservations released by the expiry reminder, while it is not known published.</summary>
    public long? ExpiryReleasedVersion { get; set; }

    /// <summary>Reservations were released by expiry and are not known published yet: the expiry reminder keeps firing until they are.</summary>
    [JsonIgnore]
    public bool ExpiryPublishPending => ExpiryReleasedVersion is { } released && released > (PublishedVersion ?? Version);

    /// <summary>When the expiry reminder was last registered to fire; null when the grain dropped it (or never had one).</summary>
    public DateTimeOffset? ExpiryReminderAt { get; set; }

    /// <summary>
    /// Until when the stock was published on an Orleans stream after each change, from when live changes went through
    /// the grain (watch leases). Nothing sets it any more — the Api tails <c>inventory.net-stock</c> instead — but states
    /// stored before carry it, so it is still read, kept and written back as it was read.
    /// </summary>
    public DateTimeOffset? WatchedUntil { get; set; }

    /// <summary>The product's own low-stock threshold (set by a <c>LowStockThreshold</c> event); null: the default.</summary>
    public long? LowStockThreshold { get; set; }

    /// <summary>The threshold the last change was judged by (the product's own or the default then).</summary>
    public long ThresholdInForce { get; set; }

    /// <summary>Whether the product was low (available ≤ threshold) after its last change; a product starts not low.</summary>
    public bool LowStock { get; set; }

    /// <summary>
    /// The low-stock alerts not known published yet (after <see cref="PublishedVersion"/>), oldest first: each
    /// publication attempt carries them until one commits.
    /// </summary>
    public List<LowStockAlert> RecentAlerts { get; set; } = [];

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
