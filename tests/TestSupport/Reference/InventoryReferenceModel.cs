using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.TestSupport.Reference;

/// <summary>
/// A deliberately plain model of docs/CONTRACTS.md "Event rules" for many products (lists, linear scans), written apart
/// from the grain's rules so tests can replay the same events through both and compare every outcome and stock.
/// Decisions docs/CONTRACTS.md leaves open, as the grain takes them: invalid content is Rejected InvalidEvent and changes
/// nothing; duplicates, redeliveries and invalid events release no expired reservations; a redelivered message (at or
/// below its partition's last offset) gets the answer it got the first time while the window holds it; a duplicate
/// read from a topic advances the offset and takes a window slot (so its redelivery repeats it); expired reservations are released before each other event, earliest expiry (then reservationId) first, one
/// version each, leaving lastEventId alone.
/// </summary>
public sealed class InventoryReferenceModel(int windowSize = 10_000, long lowStockThreshold = 10)
{
    // JSON's largest safe integer, 2^53 − 1: no count may be taken beyond it (docs/CONTRACTS.md "Counts are checked").
    private const decimal SafeCount = 9_007_199_254_740_991m;

    // The largest quantity an event may carry, either way (docs/CONTRACTS.md "Inventory event").
    private const long QuantityBound = 1_000_000_000;

    private readonly Dictionary<string, ProductModel> _products = new(StringComparer.Ordinal);

    /// <summary>Products that received at least one event.</summary>
    public IReadOnlyCollection<string> ProductIds => _products.Keys;

    /// <summary>
    /// Starts <paramref name="productId"/> from stored counts rather than from nothing, as a grain starts from its stored
    /// state (say one written before counts were checked): version 0, not low, an empty window. Reserved is the sum of
    /// <paramref name="reservations"/>.
    /// </summary>
    public void StartFrom(
        string productId,
        IReadOnlyDictionary<string, long> onHand,
        long inTransit,
        IReadOnlyList<(string Id, long Remaining, DateTimeOffset? ExpiresAt)> reservations)
    {
        ArgumentNullException.ThrowIfNull(onHand);
        ArgumentNullException.ThrowIfNull(reservations);
        var p = new ProductModel { InTransit = inTransit };
        foreach (var (location, count) in onHand)
        {
            p.Locations[location] = count;
        }

        foreach (var (id, remaining, expiresAt) in reservations)
        {
            p.Reservations.Add(new ReservationModel(id, remaining, expiresAt));
            p.Reserved += remaining;
        }

        _products[productId] = p;
    }

    /// <summary>Applies an event that was not read from Kafka (no offset check).</summary>
    public ReferenceOutcome Apply(InventoryEvent e, DateTimeOffset now) => Apply(e, null, 0, 0, now);

    /// <summary>Applies an event read at <paramref name="offset"/> of <paramref name="topic"/>/<paramref name="partition"/> (no offset check when <paramref name="topic"/> is null).</summary>
    /// <exception cref="ArgumentException">eventId or productId is empty or longer than 128 characters.</exception>
    public ReferenceOutcome Apply(InventoryEvent e, string? topic, int partition, long offset, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (string.IsNullOrEmpty(e.EventId) || e.EventId.Length > 128)
        {
            throw new ArgumentException("eventId must be 1-128 characters", nameof(e));
        }

        if (string.IsNullOrEmpty(e.ProductId) || e.ProductId.Length > 128)
        {
            throw new ArgumentException("productId must be 1-128 characters", nameof(e));
        }

        if (!_products.TryGetValue(e.ProductId, out var p))
        {
            p = new ProductModel();
            _products.Add(e.ProductId, p);
        }

        if (IsInvalid(e))
        {
            return new ReferenceOutcome(OutcomeStatus.Rejected, RejectionReasons.InvalidEvent, p.Version);
        }

        var partitionKey = topic is null ? null : topic + "/" + partition;
        if (partitionKey is not null && p.LastOffsets.TryGetValue(partitionKey, out var last) && offset <= last)
        {
            // Redelivered: the answer the message got the first time, while the window still holds it.
            var first = p.Window.Find(w => w.Status != OutcomeStatus.Duplicate && w.EventId == e.EventId);
            if (first is not null && first.PartitionKey == partitionKey && first.Offset == offset)
            {
                return new ReferenceOutcome(first.Status, first.Reason, first.Version);
            }

            var answered = p.Window.Find(w => w.Status == OutcomeStatus.Duplicate && w.EventId == e.EventId && w.PartitionKey == partitionKey && w.Offset == offset);
            return new ReferenceOutcome(OutcomeStatus.Duplicate, null, answered?.Version ?? p.Version);
        }

        if (p.Window.Exists(w => w.Status != OutcomeStatus.Duplicate && w.EventId == e.EventId))
        {
            if (partitionKey is not null)
            {
                p.LastOffsets[partitionKey] = offset;
                Remember(p, new WindowEntry(e.EventId, OutcomeStatus.Duplicate, null, p.Version, partitionKey, offset, null, default, 0));
            }

            return new ReferenceOutcome(OutcomeStatus.Duplicate, null, p.Version);
        }

        Expire(p, now);

        var location = string.IsNullOrEmpty(e.LocationId) ? "default" : e.LocationId;
        var reason = Decide(p, e, location, out var onHandDelta);

        if (partitionKey is not null)
        {
            p.LastOffsets[partitionKey] = offset;
        }

        if (reason is null)
        {
            p.Version += 1;
            p.LastEventId = e.EventId;
            JudgeLowStock(p);
        }

        var status = reason is null ? OutcomeStatus.Applied : OutcomeStatus.Rejected;
        Remember(p, new WindowEntry(e.EventId, status, reason, p.Version, partitionKey, offset, onHandDelta is null ? null : location, e.OccurredAt, onHandDelta ?? 0));
        return new ReferenceOutcome(status, reason, p.Version);
    }

    // Every message decided from a topic takes a window slot (a Duplicate too, so its redelivery repeats it); only
    // Applied and Rejected entries make a later eventId a Duplicate.
    private void Remember(ProductModel p, WindowEntry entry)
    {
        p.Window.Add(entry);
        if (p.Window.Count > windowSize)
        {
            p.Window.RemoveAt(0);
        }
    }

    /// <summary>Releases the product's reservations expired at <paramref name="now"/>; returns their ids in release order.</summary>
    public IReadOnlyList<string> ReleaseExpired(string productId, DateTimeOffset now) =>
        _products.TryGetValue(productId, out var p) ? Expire(p, now) : [];

    /// <summary>The eventIds in the product's de-duplication window, oldest first.</summary>
    public IReadOnlyList<string> WindowEventIds(string productId) =>
        _products.TryGetValue(productId, out var p) ? p.Window.ConvertAll(w => w.EventId) : [];

    /// <summary>Every low-stock alert the product raised, in version order.</summary>
    public IReadOnlyList<ReferenceAlert> Alerts(string productId) =>
        _products.TryGetValue(productId, out var p) ? p.Alerts : [];

    /// <summary>Whether the product is low after its last change (false for a product never changed).</summary>
    public bool IsLow(string productId) => _products.TryGetValue(productId, out var p) && p.Low;

    /// <summary>Product ids whose stock changed at least once (version above zero).</summary>
    public IEnumerable<string> ChangedProductIds => _products.Where(p => p.Value.Version > 0).Select(p => p.Key);

    /// <summary>The product's stock (all zero for a product never seen).</summary>
    public ReferenceStock Stock(string productId)
    {
        if (!_products.TryGetValue(productId, out var p))
        {
            return new ReferenceStock(0, 0, 0, 0, 0, null, new Dictionary<string, long>());
        }

        var onHand = p.Locations.Values.Sum();
        return new ReferenceStock(onHand, p.Reserved, p.InTransit, onHand - p.Reserved, p.Version, p.LastEventId, new Dictionary<string, long>(p.Locations));
    }

    private static bool IsInvalid(InventoryEvent e)
    {
        var needsReservation = e.Type == InventoryEventType.Reservation
            || e.Type == InventoryEventType.ReservationRelease
            || e.Type == InventoryEventType.Fulfillment;
        var quantityMayBeNegative = e.Type == InventoryEventType.Adjustment || e.Type == InventoryEventType.ReservationRelease;
        return !Enum.GetValues<InventoryEventType>().Contains(e.Type)
            || (e.Type == InventoryEventType.Adjustment && e.Quantity == 0)
            || (!quantityMayBeNegative && e.Quantity < 0)
            || (e.Type != InventoryEventType.ReservationRelease && (e.Quantity > QuantityBound || e.Quantity < -QuantityBound))
            || (needsReservation && string.IsNullOrEmpty(e.ReservationId));
    }

    // Returns the rejection reason (and changes nothing) or null; onHandDelta is set when on-hand at the location changed.
    private static string? Decide(ProductModel p, InventoryEvent e, string location, out long? onHandDelta)
    {
        onHandDelta = null;
        var q = e.Quantity;
        long reservedDelta = 0;
        long inTransitDelta = 0;
        switch (e.Type)
        {
            case InventoryEventType.LowStockThreshold:
                p.Threshold = q;
                return null;

            case InventoryEventType.Snapshot:
                if (p.LastSnapshot.TryGetValue(location, out var lastSnapshot) && e.OccurredAt < lastSnapshot)
                {
                    return RejectionReasons.StaleSnapshot;
                }

                decimal laterChanges = 0;
                foreach (var w in p.Window)
                {
                    if (w.Location == location && w.OccurredAt > e.OccurredAt)
                    {
                        laterChanges += w.Delta;
                    }
                }

                var counted = q + laterChanges;
                if (!CountsFit(p, location, counted - OnHandAt(p, location), 0, 0))
                {
                    return RejectionReasons.Overflow;
                }

                p.Locations[location] = (long)counted;
                p.LastSnapshot[location] = e.OccurredAt;
                return null;

            case InventoryEventType.Receipt:
            case InventoryEventType.Return:
            case InventoryEventType.Adjustment:
                onHandDelta = q;
                break;

            case InventoryEventType.Sale:
                onHandDelta = -q;
                break;

            case InventoryEventType.TransferOut:
                onHandDelta = -q;
                inTransitDelta = q;
                break;

            case InventoryEventType.TransferIn:
                onHandDelta = q;
                inTransitDelta = -(q < p.InTransit ? q : p.InTransit);
                break;

            case InventoryEventType.Reservation:
                if (p.Reservations.Exists(r => r.Id == e.ReservationId))
                {
                    return RejectionReasons.ReservationExists;
                }

                if (q > p.Locations.Values.Sum(v => (decimal)v) - p.Reserved)
                {
                    return RejectionReasons.InsufficientStock;
                }

                if (!CountsFit(p, location, 0, q, 0))
                {
                    return RejectionReasons.Overflow;
                }

                p.Reservations.Add(new ReservationModel(e.ReservationId!, q, e.ExpiresAt));
                p.Reserved += q;
                return null;

            case InventoryEventType.ReservationRelease:
            {
                var index = p.Reservations.FindIndex(r => r.Id == e.ReservationId);
                if (index < 0)
                {
                    return RejectionReasons.UnknownReservation;
                }

                if (!CountsFit(p, location, 0, -p.Reservations[index].Remaining, 0))
                {
                    return RejectionReasons.Overflow;
                }

                p.Reserved -= p.Reservations[index].Remaining;
                p.Reservations.RemoveAt(index);
                return null;
            }

            case InventoryEventType.Fulfillment:
            {
                var index = p.Reservations.FindIndex(r => r.Id == e.ReservationId);
                if (index < 0)
                {
                    return RejectionReasons.UnknownReservation;
                }

                var reservation = p.Reservations[index];
                if (q > reservation.Remaining)
                {
                    return RejectionReasons.ExceedsReservation;
                }

                if (!CountsFit(p, location, -q, -q, 0))
                {
                    return RejectionReasons.Overflow;
                }

                if (reservation.Remaining == q)
                {
                    p.Reservations.RemoveAt(index);
                }
                else
                {
                    p.Reservations[index] = reservation with { Remaining = reservation.Remaining - q };
                }

                onHandDelta = -q;
                reservedDelta = -q;
                break;
            }
        }

        if (!CountsFit(p, location, onHandDelta!.Value, reservedDelta, inTransitDelta))
        {
            onHandDelta = null;
            return RejectionReasons.Overflow;
        }

        p.Locations[location] = OnHandAt(p, location) + onHandDelta.Value;
        p.Reserved += reservedDelta;
        p.InTransit += inTransitDelta;
        return null;
    }

    private static long OnHandAt(ProductModel p, string location) => p.Locations.TryGetValue(location, out var current) ? current : 0;

    // docs/CONTRACTS.md "Counts are checked", in decimal so nothing wraps while checking: every count the event moves must
    // end within ±(2^53 − 1) — or, for a count stored beyond that before counts were checked, no further from zero.
    private static bool CountsFit(ProductModel p, string location, decimal onHandDelta, decimal reservedDelta, decimal inTransitDelta)
    {
        decimal atLocation = OnHandAt(p, location);
        var total = p.Locations.Values.Sum(v => (decimal)v);
        return Fits(atLocation, atLocation + onHandDelta)
            && Fits(total, total + onHandDelta)
            && Fits(p.Reserved, p.Reserved + reservedDelta)
            && Fits(p.InTransit, p.InTransit + inTransitDelta);
    }

    private static bool Fits(decimal before, decimal after) =>
        Math.Abs(after) <= SafeCount
        || (Math.Abs(after) <= Math.Abs(before) && after >= long.MinValue && after <= long.MaxValue);

    private List<string> Expire(ProductModel p, DateTimeOffset now)
    {
        var expired = p.Reservations
            .Where(r => r.ExpiresAt is not null && r.ExpiresAt <= now)
            .OrderBy(r => r.ExpiresAt)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        foreach (var r in expired)
        {
            p.Reservations.Remove(r);
            p.Reserved -= r.Remaining;
            p.Version += 1;
            JudgeLowStock(p);
        }

        return expired.Select(r => r.Id).ToList();
    }

    // docs/CONTRACTS.md "Low stock": after each change, a product whose side of the threshold changed raises one alert.
    private void JudgeLowStock(ProductModel p)
    {
        var threshold = p.Threshold ?? lowStockThreshold;
        var available = p.Locations.Values.Sum() - p.Reserved;
        var low = available <= threshold;
        if (low != p.Low)
        {
            p.Low = low;
            p.Alerts.Add(new ReferenceAlert(low ? LowStockState.Low : LowStockState.Recovered, available, threshold, p.Version));
        }
    }

    private sealed class ProductModel
    {
        public long? Threshold { get; set; }

        public bool Low { get; set; }

        public List<ReferenceAlert> Alerts { get; } = [];

        public Dictionary<string, long> Locations { get; } = new(StringComparer.Ordinal);

        public long Reserved { get; set; }

        public long InTransit { get; set; }

        public long Version { get; set; }

        public string? LastEventId { get; set; }

        public List<ReservationModel> Reservations { get; } = [];

        public Dictionary<string, DateTimeOffset> LastSnapshot { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> LastOffsets { get; } = new(StringComparer.Ordinal);

        public List<WindowEntry> Window { get; } = [];
    }

    private sealed record ReservationModel(string Id, long Remaining, DateTimeOffset? ExpiresAt);

    private sealed record WindowEntry(string EventId, OutcomeStatus Status, string? Reason, long Version, string? PartitionKey, long Offset, string? Location, DateTimeOffset OccurredAt, long Delta);
}
