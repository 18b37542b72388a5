using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// The event rules of docs/CONTRACTS.md on one product's counts and reservations: what each event type changes, when
/// it is rejected, and the release of expired reservations. Each change is a new version, judged for low stock.
/// Knows nothing of offsets or duplicates (<see cref="DeliveryBook"/>).
/// </summary>
internal sealed class StockRules
{
    private readonly ProductState _state;
    private readonly LowStockJudge _lowStock;

    // Earliest expiresAt of the held reservations, cached so the per-event expiry check is O(1).
    private DateTimeOffset? _earliestExpiry;

    public StockRules(ProductState state, LowStockJudge lowStock)
    {
        _state = state;
        _lowStock = lowStock;
        _earliestExpiry = FindEarliestExpiry();
    }

    /// <summary>The earliest expiry among held reservations; when the reminder should fire.</summary>
    public DateTimeOffset? EarliestExpiry => _earliestExpiry;

    /// <summary>
    /// Releases the reservations due at <paramref name="now"/>, then applies the event's effect as a new version and
    /// returns null, or returns the rejection reason and changes nothing else. <paramref name="seen"/> gets the on-hand
    /// change a later snapshot at its location re-adds.
    /// </summary>
    public string? Apply(InventoryEvent e, SeenEvent seen, DateTimeOffset now)
    {
        ReleaseExpired(now);
        var reason = Decide(e, seen);
        if (reason is null)
        {
            _state.LastEventId = e.EventId;
            NewVersion(now);
        }

        return reason;
    }

    /// <summary>Releases every reservation whose expiry is at or before <paramref name="now"/>; each is a new version.</summary>
    /// <returns>The released reservationIds, earliest expiry first.</returns>
    public IReadOnlyList<string> ReleaseExpired(DateTimeOffset now)
    {
        if (_earliestExpiry is not { } earliest || earliest > now)
        {
            return Array.Empty<string>();
        }

        var due = new List<KeyValuePair<string, ReservationHold>>();
        foreach (var reservation in _state.Reservations)
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
            _state.Reserved = checked(_state.Reserved - hold.Remaining);
            _state.Reservations.Remove(reservationId);
            NewVersion(now);
            released.Add(reservationId);
        }

        _earliestExpiry = FindEarliestExpiry();
        return released;
    }

    private void NewVersion(DateTimeOffset now)
    {
        _state.Version++;
        _state.UpdatedAt = now;
        _lowStock.Judge();
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
                return ChangeCounts(seen, location, e, e.Quantity, inTransitDelta: -Math.Min(e.Quantity, _state.InTransit));
            case InventoryEventType.Reservation:
                return Reserve(e);
            case InventoryEventType.ReservationRelease:
                return Release(e.ReservationId!);
            case InventoryEventType.Fulfillment:
                return Fulfill(e, seen, location);
            case InventoryEventType.LowStockThreshold:
                _state.LowStockThreshold = e.Quantity;
                return null;
            default:
                throw new InvalidOperationException($"Event type {e.Type} passed validation but has no rule.");
        }
    }

    private string? ApplySnapshot(InventoryEvent e, string location)
    {
        if (_state.LastSnapshotAt.TryGetValue(location, out var lastSnapshot) && e.OccurredAt < lastSnapshot)
        {
            return RejectionReasons.StaleSnapshot;
        }

        // The slow-stream / fast-stream join: changes at this location that happened after the count was taken
        // are already applied and must survive it. The de-duplication window holds them.
        var snapshotTicks = e.OccurredAt.UtcTicks;
        Int128 later = 0;
        foreach (var seen in _state.Window)
        {
            if (seen.OccurredAtUtcTicks > snapshotTicks && seen.Location is not null
                && string.Equals(seen.Location, location, StringComparison.Ordinal))
            {
                later += seen.Delta;
            }
        }

        // A snapshot counts too: the later changes it re-adds can carry the location, or the product's total, too far.
        Int128 current = _state.OnHand.GetValueOrDefault(location);
        var counted = e.Quantity + later;
        if (!CountLimit.Allows(_state, location, counted - current, 0, 0))
        {
            return RejectionReasons.Overflow;
        }

        // A location new to the product becomes a key: its pooled copy, not the event's (see NamePool).
        location = NamePool.Intern(location)!;
        _state.OnHand[location] = (long)counted;
        _state.LastSnapshotAt[location] = e.OccurredAt;
        return null;
    }

    private string? Reserve(InventoryEvent e)
    {
        var reservationId = e.ReservationId!;
        if (_state.Reservations.ContainsKey(reservationId))
        {
            return RejectionReasons.ReservationExists;
        }

        if (e.Quantity > TotalOnHandExact() - _state.Reserved)
        {
            return RejectionReasons.InsufficientStock;
        }

        if (!CountLimit.AllowsReserved(_state, e.Quantity))
        {
            return RejectionReasons.Overflow;
        }

        _state.Reservations.Add(reservationId, new ReservationHold { Remaining = e.Quantity, ExpiresAt = e.ExpiresAt });
        _state.Reserved += e.Quantity;
        if (e.ExpiresAt is { } expiresAt && (_earliestExpiry is null || expiresAt < _earliestExpiry))
        {
            _earliestExpiry = expiresAt;
        }

        return null;
    }

    private string? Release(string reservationId)
    {
        if (!_state.Reservations.TryGetValue(reservationId, out var hold))
        {
            return RejectionReasons.UnknownReservation;
        }

        if (!CountLimit.AllowsReserved(_state, -hold.Remaining))
        {
            return RejectionReasons.Overflow;
        }

        _state.Reserved -= hold.Remaining;
        EndReservation(reservationId, hold);
        return null;
    }

    private string? Fulfill(InventoryEvent e, SeenEvent seen, string location)
    {
        var reservationId = e.ReservationId!;
        if (!_state.Reservations.TryGetValue(reservationId, out var hold))
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
        _state.Reservations.Remove(reservationId);
        if (hold.ExpiresAt is not null && hold.ExpiresAt == _earliestExpiry)
        {
            _earliestExpiry = FindEarliestExpiry();
        }
    }

    // Applies an on-hand change (and what moves with it) and returns null; or returns Overflow and changes nothing.
    private string? ChangeCounts(SeenEvent seen, string location, InventoryEvent e, long delta, long reservedDelta = 0, long inTransitDelta = 0)
    {
        if (!CountLimit.Allows(_state, location, delta, reservedDelta, inTransitDelta))
        {
            return RejectionReasons.Overflow;
        }

        // A location new to the product becomes a key: its pooled copy, not the event's (see NamePool).
        location = NamePool.Intern(location)!;
        _state.OnHand[location] = _state.OnHand.GetValueOrDefault(location) + delta;
        _state.Reserved += reservedDelta;
        _state.InTransit += inTransitDelta;
        seen.Location = location;
        seen.OccurredAtUtcTicks = e.OccurredAt.UtcTicks;
        seen.Delta = delta;
        return null;
    }

    // Exact even for a state stored before counts were checked, whose locations may sum beyond 64 bits.
    private Int128 TotalOnHandExact()
    {
        Int128 total = 0;
        foreach (var onHand in _state.OnHand.Values)
        {
            total += onHand;
        }

        return total;
    }

    private DateTimeOffset? FindEarliestExpiry()
    {
        DateTimeOffset? earliest = null;
        foreach (var hold in _state.Reservations.Values)
        {
            if (hold.ExpiresAt is { } expiresAt && (earliest is null || expiresAt < earliest))
            {
                earliest = expiresAt;
            }
        }

        return earliest;
    }
}
