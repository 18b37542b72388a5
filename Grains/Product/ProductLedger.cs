using System.Globalization;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// The inventory rules of docs/CONTRACTS.md applied to one product's <see cref="ProductState"/>: pure, synchronous and
/// deterministic (time comes in as <c>now</c>), so the grain stays a thin persistence shell and the rules are tested directly.
/// </summary>
public sealed class ProductLedger
{
    private readonly int _windowSize;

    // The window's first decisions by eventId (the duplicate check and the answer to a redelivery), and its Duplicate
    // answers by eventId and message position (the answer to their redelivery); rebuilt from the persisted window on load.
    // The position includes topic and partition: offsets of different topic-partitions collide all the time.
    private readonly Dictionary<string, SeenEvent> _decisions;
    private readonly Dictionary<(string EventId, string? Topic, int Partition, long Offset), SeenEvent> _duplicates = [];

    // Earliest expiresAt of the held reservations, cached so the per-event expiry check is O(1).
    private DateTimeOffset? _earliestExpiry;

    // Batches mostly come from one topic-partition: reuse its "topic/partition" key instead of building it per event.
    private string? _lastTopic;
    private int _lastPartition;
    private string _lastOffsetKey = "";

    /// <summary>The low-stock threshold of a product that has none of its own, unless the caller gives another.</summary>
    public const long DefaultLowStockThreshold = 10;

    private readonly long _defaultThreshold;

    // Alerts raised since the last TakeAlerts, in version order.
    private List<LowStockAlert>? _raised;

    public ProductLedger(string productId, ProductState state, int windowSize, long defaultLowStockThreshold = DefaultLowStockThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(defaultLowStockThreshold);
        _defaultThreshold = defaultLowStockThreshold;
        ArgumentException.ThrowIfNullOrEmpty(productId);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        ProductId = productId;
        State = state;
        _windowSize = windowSize;

        // A window persisted under a larger configured size shrinks to the current one, oldest first.
        while (state.Window.Count > windowSize)
        {
            state.Window.Dequeue();
        }

        _decisions = new Dictionary<string, SeenEvent>(state.Window.Count, StringComparer.Ordinal);
        foreach (var seen in state.Window)
        {
            Index(seen);
        }

        _earliestExpiry = FindEarliestExpiry();

        // A state stored before publications were tracked was published up to its version by the pipeline of then.
        state.PublishedVersion ??= state.Version;
    }

    public string ProductId { get; }

    public ProductState State { get; }

    /// <summary>Whether the state changed since construction or the last <see cref="MarkSaved"/>.</summary>
    public bool HasUnsavedChanges { get; private set; }

    /// <summary>The low-stock threshold in force: the product's own, else the default.</summary>
    public long Threshold => State.LowStockThreshold ?? _defaultThreshold;

    /// <summary>The earliest expiry among held reservations; when the reminder should fire.</summary>
    public DateTimeOffset? EarliestExpiry => _earliestExpiry;

    public void MarkSaved() => HasUnsavedChanges = false;

    /// <summary>Records that the caller changed <see cref="State"/> outside the rules (so it is saved).</summary>
    public void MarkChanged() => HasUnsavedChanges = true;

    /// <summary>
    /// Decides and applies one event. Reservations due at <paramref name="now"/> are released first (unless the event
    /// is a duplicate, a redelivery or invalid: those change no stock).
    /// </summary>
    /// <exception cref="ArgumentException">The eventId or productId is empty, too long, or not this product.</exception>
    public EventOutcome Apply(InventoryEvent inventoryEvent, EventPosition? position, DateTimeOffset now)
    {
        EventValidation.EnsureIdentity(inventoryEvent, ProductId);
        if (!State.Window.IsComplete)
        {
            // Deciding duplicates against part of the window would apply a re-sent event twice.
            throw new InvalidOperationException("The product state was read without its window segments (head only); load it through its grain storage before applying events.");
        }

        if (EventValidation.FindInvalidContent(inventoryEvent) is not null)
        {
            return Outcome(inventoryEvent, position, OutcomeStatus.Rejected, RejectionReasons.InvalidEvent, State.Version);
        }

        string? offsetKey = null;
        if (position is { } at)
        {
            offsetKey = OffsetKey(at.Topic, at.Partition);
            if (State.Offsets.TryGetValue(offsetKey, out var lastOffset) && at.Offset <= lastOffset)
            {
                return Redelivered(inventoryEvent, at);
            }
        }

        if (_decisions.ContainsKey(inventoryEvent.EventId))
        {
            var duplicate = new SeenEvent { EventId = inventoryEvent.EventId, Status = OutcomeStatus.Duplicate, Version = State.Version };
            if (position is { } duplicateAt)
            {
                // Remembered (with the offset) only so that a redelivery of this message repeats this answer.
                duplicate.Topic = duplicateAt.Topic;
                duplicate.Partition = duplicateAt.Partition;
                duplicate.Offset = duplicateAt.Offset;
                State.Offsets[offsetKey!] = duplicateAt.Offset;
                Remember(duplicate);
                HasUnsavedChanges = true;
            }

            return Outcome(inventoryEvent, position, OutcomeStatus.Duplicate, null, State.Version);
        }

        ReleaseExpiredCore(now);

        var seen = new SeenEvent { EventId = inventoryEvent.EventId };
        var reason = Decide(inventoryEvent, seen);
        seen.Status = reason is null ? OutcomeStatus.Applied : OutcomeStatus.Rejected;
        seen.Reason = reason;

        if (reason is null)
        {
            State.Version++;
            State.LastEventId = inventoryEvent.EventId;
            State.UpdatedAt = now;
            JudgeLowStock();
        }

        seen.Version = State.Version;

        if (position is { } decidedAt)
        {
            seen.Topic = decidedAt.Topic;
            seen.Partition = decidedAt.Partition;
            seen.Offset = decidedAt.Offset;
            State.Offsets[offsetKey!] = decidedAt.Offset;
        }

        Remember(seen);
        HasUnsavedChanges = true;
        return Outcome(inventoryEvent, position, seen.Status, reason, seen.Version);
    }

    // A message at or below its partition's watermark was decided before (a batch replayed after a crash): it gets the
    // answer it got then, so an outcome lost between persisting and publishing is published now. Only when the window
    // no longer holds the message is the answer a plain Duplicate at today's version (an outcome record is owed).
    private EventOutcome Redelivered(InventoryEvent inventoryEvent, EventPosition position) =>
        DecisionOf(inventoryEvent.EventId, position) is { } seen
            ? Outcome(inventoryEvent, position, seen.Status, seen.Reason, seen.Version)
            : Outcome(inventoryEvent, position, OutcomeStatus.Duplicate, null, State.Version);

    /// <summary>
    /// Whether the message at <paramref name="position"/> was processed before (at or below its topic-partition's
    /// watermark): a redelivery, e.g. of a batch replayed after a crash. Ask before applying it.
    /// </summary>
    public bool IsRedelivery(EventPosition position) =>
        State.Offsets.TryGetValue(OffsetKey(position.Topic, position.Partition), out var lastOffset) && position.Offset <= lastOffset;

    /// <summary>
    /// The decision the message at <paramref name="position"/> (which carried <paramref name="eventId"/>) got, while the
    /// window holds it: the eventId's first decision when that message made it, else the <c>Duplicate</c> it was
    /// answered (with the version then). Null while the message is undecided, and once the window no longer holds its
    /// decision; <see cref="IsRedelivery"/> tells the two apart.
    /// </summary>
    public SeenEvent? DecisionOf(string eventId, EventPosition position)
    {
        if (_decisions.TryGetValue(eventId, out var first) && first.IsAt(position))
        {
            return first;
        }

        return _duplicates.TryGetValue((eventId, position.Topic, position.Partition, position.Offset), out var duplicate) ? duplicate : null;
    }

    /// <summary>Releases every reservation whose expiry is at or before <paramref name="now"/>; each bumps the version.</summary>
    /// <returns>The released reservationIds, earliest expiry first.</returns>
    public IReadOnlyList<string> ReleaseExpired(DateTimeOffset now) => ReleaseExpiredCore(now);

    /// <summary>The stock as published on <c>inventory.net-stock</c>.</summary>
    public StockView ToStockView() => State.ToStockView(ProductId, Threshold);

    /// <summary>The low-stock alerts raised since the last call (in version order); they stay in <see cref="ProductState.RecentAlerts"/> until published.</summary>
    public IReadOnlyList<LowStockAlert> TakeAlerts()
    {
        var raised = _raised ?? (IReadOnlyList<LowStockAlert>)[];
        _raised = null;
        return raised;
    }

    // After every change (a new version): a product whose side of the threshold changed raises one alert.
    private void JudgeLowStock()
    {
        var threshold = Threshold;
        State.ThresholdInForce = threshold;
        var available = TotalOnHand() - State.Reserved;
        var low = available <= threshold;
        if (low == State.LowStock)
        {
            return;
        }

        State.LowStock = low;
        var alert = new LowStockAlert(ProductId, available, threshold, low ? LowStockState.Low : LowStockState.Recovered, State.Version, State.UpdatedAt);
        State.RecentAlerts.Add(alert);
        (_raised ??= []).Add(alert);
    }

    // Applies the event's effect and returns null, or returns the rejection reason and changes nothing.
    private string? Decide(InventoryEvent e, SeenEvent seen)
    {
        var location = string.IsNullOrEmpty(e.LocationId) ? InventoryEvent.DefaultLocation : e.LocationId;
        switch (e.Type)
        {
            case InventoryEventType.Snapshot:
                return ApplySnapshot(e, location);
            case InventoryEventType.Receipt:
            case InventoryEventType.Return:
            case InventoryEventType.Adjustment:
                return ChangeCounts(seen, location, e, e.Quantity);
            case InventoryEventType.Sale:
                return ChangeCounts(seen, location, e, -e.Quantity);
            case InventoryEventType.TransferOut:
                return ChangeCounts(seen, location, e, -e.Quantity, inTransitDelta: e.Quantity);
            case InventoryEventType.TransferIn:
                return ChangeCounts(seen, location, e, e.Quantity, inTransitDelta: -Math.Min(e.Quantity, State.InTransit));
            case InventoryEventType.Reservation:
                return Reserve(e);
            case InventoryEventType.ReservationRelease:
                return Release(e.ReservationId!);
            case InventoryEventType.Fulfillment:
                return Fulfill(e, seen, location);
            case InventoryEventType.LowStockThreshold:
                State.LowStockThreshold = e.Quantity;
                return null;
            default:
                throw new InvalidOperationException($"Event type {e.Type} passed validation but has no rule.");
        }
    }

    private string? ApplySnapshot(InventoryEvent e, string location)
    {
        if (State.LastSnapshotAt.TryGetValue(location, out var lastSnapshot) && e.OccurredAt < lastSnapshot)
        {
            return RejectionReasons.StaleSnapshot;
        }

        // The slow-stream / fast-stream join: changes at this location that happened after the count was taken
        // are already applied and must survive it.
        var snapshotTicks = e.OccurredAt.UtcTicks;
        Int128 later = 0;
        foreach (var seen in State.Window)
        {
            if (seen.OccurredAtUtcTicks > snapshotTicks && seen.Location is not null
                && string.Equals(seen.Location, location, StringComparison.Ordinal))
            {
                later += seen.Delta;
            }
        }

        // A snapshot counts too: the later changes it re-adds can carry the location, or the product's total, too far.
        Int128 current = State.OnHand.GetValueOrDefault(location);
        var counted = e.Quantity + later;
        if (!CountLimit.Allows(State, location, counted - current, 0, 0))
        {
            return RejectionReasons.Overflow;
        }

        // A location new to the product becomes a key: its pooled copy, not the event's (see NamePool).
        location = NamePool.Intern(location)!;
        State.OnHand[location] = (long)counted;
        State.LastSnapshotAt[location] = e.OccurredAt;
        return null;
    }

    private string? Reserve(InventoryEvent e)
    {
        var reservationId = e.ReservationId!;
        if (State.Reservations.ContainsKey(reservationId))
        {
            return RejectionReasons.ReservationExists;
        }

        if (e.Quantity > TotalOnHandExact() - State.Reserved)
        {
            return RejectionReasons.InsufficientStock;
        }

        if (!CountLimit.AllowsReserved(State, e.Quantity))
        {
            return RejectionReasons.Overflow;
        }

        State.Reservations.Add(reservationId, new ReservationHold { Remaining = e.Quantity, ExpiresAt = e.ExpiresAt });
        State.Reserved += e.Quantity;
        if (e.ExpiresAt is { } expiresAt && (_earliestExpiry is null || expiresAt < _earliestExpiry))
        {
            _earliestExpiry = expiresAt;
        }

        return null;
    }

    private string? Release(string reservationId)
    {
        if (!State.Reservations.TryGetValue(reservationId, out var hold))
        {
            return RejectionReasons.UnknownReservation;
        }

        if (!CountLimit.AllowsReserved(State, -hold.Remaining))
        {
            return RejectionReasons.Overflow;
        }

        State.Reserved -= hold.Remaining;
        EndReservation(reservationId, hold);
        return null;
    }

    private string? Fulfill(InventoryEvent e, SeenEvent seen, string location)
    {
        var reservationId = e.ReservationId!;
        if (!State.Reservations.TryGetValue(reservationId, out var hold))
        {
            return RejectionReasons.UnknownReservation;
        }

        if (e.Quantity > hold.Remaining)
        {
            return RejectionReasons.ExceedsReservation;
        }

        if (ChangeCounts(seen, location, e, -e.Quantity, reservedDelta: -e.Quantity) is { } overflow)
        {
            return overflow;
        }

        hold.Remaining -= e.Quantity;
        if (hold.Remaining == 0)
        {
            EndReservation(reservationId, hold);
        }

        return null;
    }

    private void EndReservation(string reservationId, ReservationHold hold)
    {
        State.Reservations.Remove(reservationId);
        if (hold.ExpiresAt is not null && hold.ExpiresAt == _earliestExpiry)
        {
            _earliestExpiry = FindEarliestExpiry();
        }
    }

    private IReadOnlyList<string> ReleaseExpiredCore(DateTimeOffset now)
    {
        if (_earliestExpiry is not { } earliest || earliest > now)
        {
            return Array.Empty<string>();
        }

        var due = new List<KeyValuePair<string, ReservationHold>>();
        foreach (var reservation in State.Reservations)
        {
            if (reservation.Value.ExpiresAt is { } expiresAt && expiresAt <= now)
            {
                due.Add(reservation);
            }
        }

        // A fixed order, so every replay reports the released reservations alike.
        due.Sort(static (a, b) =>
        {
            var byTime = a.Value.ExpiresAt!.Value.CompareTo(b.Value.ExpiresAt!.Value);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Key, b.Key);
        });

        var released = new List<string>(due.Count);
        foreach (var (reservationId, hold) in due)
        {
            // Reserved is the sum of the holds' remainders, so a release cannot leave the bound; checked all the same,
            // so a broken sum is a loud bug rather than a count that wrapped around.
            State.Reserved = checked(State.Reserved - hold.Remaining);
            State.Reservations.Remove(reservationId);
            State.Version++;
            State.UpdatedAt = now;
            JudgeLowStock();
            released.Add(reservationId);
        }

        _earliestExpiry = FindEarliestExpiry();
        HasUnsavedChanges = true;
        return released;
    }

    // Applies an on-hand change (and what moves with it) and returns null; or returns Overflow and changes nothing.
    private string? ChangeCounts(SeenEvent seen, string location, InventoryEvent e, long delta, long reservedDelta = 0, long inTransitDelta = 0)
    {
        if (!CountLimit.Allows(State, location, delta, reservedDelta, inTransitDelta))
        {
            return RejectionReasons.Overflow;
        }

        // A location new to the product becomes a key: its pooled copy, not the event's (see NamePool).
        location = NamePool.Intern(location)!;
        State.OnHand[location] = State.OnHand.GetValueOrDefault(location) + delta;
        State.Reserved += reservedDelta;
        State.InTransit += inTransitDelta;
        seen.Location = location;
        seen.OccurredAtUtcTicks = e.OccurredAt.UtcTicks;
        seen.Delta = delta;
        return null;
    }

    private void Remember(SeenEvent seen)
    {
        while (State.Window.Count >= _windowSize)
        {
            Unindex(State.Window.Dequeue());
        }

        State.Window.Enqueue(seen);
        Index(seen);
    }

    private void Index(SeenEvent seen)
    {
        if (seen.Status == OutcomeStatus.Duplicate)
        {
            _duplicates[(seen.EventId, seen.Topic, seen.Partition, seen.Offset)] = seen;
        }
        else
        {
            _decisions[seen.EventId] = seen;
        }
    }

    private void Unindex(SeenEvent seen)
    {
        if (seen.Status == OutcomeStatus.Duplicate)
        {
            _duplicates.Remove((seen.EventId, seen.Topic, seen.Partition, seen.Offset));
        }
        else if (_decisions.TryGetValue(seen.EventId, out var indexed) && ReferenceEquals(indexed, seen))
        {
            _decisions.Remove(seen.EventId);
        }
    }

    private string OffsetKey(string topic, int partition)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (partition != _lastPartition || !string.Equals(topic, _lastTopic, StringComparison.Ordinal))
        {
            _lastOffsetKey = NamePool.OffsetKey(topic, partition);
            _lastTopic = topic;
            _lastPartition = partition;
        }

        return _lastOffsetKey;
    }

    // Exact even for a state stored before counts were checked, whose locations may sum beyond 64 bits.
    private Int128 TotalOnHandExact()
    {
        Int128 total = 0;
        foreach (var onHand in State.OnHand.Values)
        {
            total += onHand;
        }

        return total;
    }

    private long TotalOnHand()
    {
        var total = 0L;
        foreach (var onHand in State.OnHand.Values)
        {
            total += onHand;
        }

        return total;
    }

    private DateTimeOffset? FindEarliestExpiry()
    {
        DateTimeOffset? earliest = null;
        foreach (var hold in State.Reservations.Values)
        {
            if (hold.ExpiresAt is { } expiresAt && (earliest is null || expiresAt < earliest))
            {
                earliest = expiresAt;
            }
        }

        return earliest;
    }

    private EventOutcome Outcome(InventoryEvent e, EventPosition? position, OutcomeStatus status, string? reason, long version) =>
        new(e.EventId, ProductId, status, reason, version, e.CorrelationId, position);
}
