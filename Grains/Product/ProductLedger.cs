using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// One product's <see cref="ProductState"/> under docs/CONTRACTS.md: pure, synchronous and deterministic (time comes
/// in as <c>now</c>), so the grain stays a thin persistence shell and the rules are tested directly. It orders three
/// parts: the delivery bookkeeping (<see cref="DeliveryBook"/>: redeliveries and duplicates), the stock rules
/// (<see cref="StockRules"/>) and the low-stock judgment (<see cref="LowStockJudge"/>).
/// </summary>
public sealed class ProductLedger
{
    /// <summary>The low-stock threshold of a product that has none of its own, unless the caller gives another.</summary>
    public const long DefaultLowStockThreshold = 10;

    private readonly DeliveryBook _delivery;
    private readonly LowStockJudge _lowStock;
    private readonly StockRules _rules;

    public ProductLedger(string productId, ProductState state, int windowSize, long defaultLowStockThreshold = DefaultLowStockThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(defaultLowStockThreshold);
        ArgumentException.ThrowIfNullOrEmpty(productId);
        ArgumentNullException.ThrowIfNull(state);
        ProductId = productId;
        State = state;
        _delivery = new DeliveryBook(state, windowSize);
        _lowStock = new LowStockJudge(productId, state, defaultLowStockThreshold);
        _rules = new StockRules(state, _lowStock);

        // A state stored before publications were tracked was published up to its version by the pipeline of then.
        state.PublishedVersion ??= state.Version;
    }

    public string ProductId { get; }

    public ProductState State { get; }

    /// <summary>Whether the state changed since construction or the last <see cref="MarkSaved"/>.</summary>
    public bool HasUnsavedChanges { get; private set; }

    /// <summary>The low-stock threshold in force: the product's own, else the default.</summary>
    public long Threshold => _lowStock.Threshold;

    /// <summary>The earliest expiry among held reservations; when the reminder should fire.</summary>
    public DateTimeOffset? EarliestExpiry => _rules.EarliestExpiry;

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

        if (position is { } at && _delivery.IsRedelivery(at))
        {
            return Redelivered(inventoryEvent, at);
        }

        if (_delivery.HasDecided(inventoryEvent.EventId))
        {
            if (position is not null)
            {
                // Remembered (with the offset) only so that a redelivery of this message repeats this answer.
                _delivery.Record(new SeenEvent { EventId = inventoryEvent.EventId, Status = OutcomeStatus.Duplicate, Version = State.Version }, position);
                HasUnsavedChanges = true;
            }

            return Outcome(inventoryEvent, position, OutcomeStatus.Duplicate, null, State.Version);
        }

        var seen = new SeenEvent { EventId = inventoryEvent.EventId };
        var reason = _rules.Apply(inventoryEvent, seen, now);
        seen.Status = reason is null ? OutcomeStatus.Applied : OutcomeStatus.Rejected;
        seen.Reason = reason;
        seen.Version = State.Version;
        _delivery.Record(seen, position);
        HasUnsavedChanges = true;
        return Outcome(inventoryEvent, position, seen.Status, reason, seen.Version);
    }

    // A message at or below its partition's watermark was decided before (a batch replayed after a crash): it gets the
    // answer it got then, so an outcome lost between persisting and publishing is published now. Only when the window
    // no longer holds the message is the answer a plain Duplicate at today's version (an outcome record is owed).
    private EventOutcome Redelivered(InventoryEvent inventoryEvent, EventPosition position) =>
        _delivery.DecisionOf(inventoryEvent.EventId, position) is { } seen
            ? Outcome(inventoryEvent, position, seen.Status, seen.Reason, seen.Version)
            : Outcome(inventoryEvent, position, OutcomeStatus.Duplicate, null, State.Version);

    /// <summary>
    /// Whether the message at <paramref name="position"/> was processed before (at or below its topic-partition's
    /// watermark): a redelivery, e.g. of a batch replayed after a crash. Ask before applying it.
    /// </summary>
    public bool IsRedelivery(EventPosition position) => _delivery.IsRedelivery(position);

    /// <summary>
    /// The decision the message at <paramref name="position"/> (which carried <paramref name="eventId"/>) got, while the
    /// window holds it: the eventId's first decision when that message made it, else the <c>Duplicate</c> it was
    /// answered (with the version then). Null while the message is undecided, and once the window no longer holds its
    /// decision; <see cref="IsRedelivery"/> tells the two apart.
    /// </summary>
    public SeenEvent? DecisionOf(string eventId, EventPosition position) => _delivery.DecisionOf(eventId, position);

    /// <summary>Releases every reservation whose expiry is at or before <paramref name="now"/>; each bumps the version.</summary>
    /// <returns>The released reservationIds, earliest expiry first.</returns>
    public IReadOnlyList<string> ReleaseExpired(DateTimeOffset now)
    {
        var released = _rules.ReleaseExpired(now);
        if (released.Count > 0)
        {
            HasUnsavedChanges = true;
        }

        return released;
    }

    /// <summary>The stock as published on <c>inventory.net-stock</c>.</summary>
    public StockView ToStockView() => State.ToStockView(ProductId, Threshold);

    /// <summary>The low-stock alerts raised since the last call (in version order); they stay in <see cref="ProductState.RecentAlerts"/> until published.</summary>
    public IReadOnlyList<LowStockAlert> TakeAlerts() => _lowStock.TakeAlerts();

    private EventOutcome Outcome(InventoryEvent e, EventPosition? position, OutcomeStatus status, string? reason, long version) =>
        new(e.EventId, ProductId, status, reason, version, e.CorrelationId, position);
}
