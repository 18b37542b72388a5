using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;

namespace InventoryOrleans.Grains.Decisions;

/// <summary>
/// Where one product activation answers <see cref="IProductGrain.WaitForDecisionAsync"/>: the callers waiting for a
/// message the product has not decided (or not persisted) yet, and the stock after its last few versions, for those
/// who ask after the decision. Used from the grain's turns only.
/// </summary>
internal sealed class DecisionDesk
{
    private readonly DecisionWaiters _waiters = new();
    private readonly RecentStocks _recentStocks = new();

    /// <summary>Whether someone waits for the message at <paramref name="position"/> carrying <paramref name="eventId"/>.</summary>
    public bool Awaits(string eventId, EventPosition? position) => !_waiters.IsEmpty && _waiters.Awaits(eventId, position);

    /// <summary>Keeps the stock of a new version for waits that ask after its decision, once it is persisted.</summary>
    public void Record(StockView stock) => _recentStocks.Record(stock);

    /// <summary>
    /// The decision, when the ledger holds it in storage already (nothing unsaved); else waits for the write that
    /// persists it (<see cref="Complete"/>), whichever call makes it. Null after <paramref name="maxWait"/>.
    /// </summary>
    public async Task<EventDecision?> WaitAsync(ProductLedger ledger, string eventId, EventPosition position, TimeSpan maxWait, TimeProvider time)
    {
        if (!ledger.HasUnsavedChanges && DecisionOf(ledger, eventId, position, decidedStocks: null) is { } decided)
        {
            return decided;
        }

        return await _waiters.WaitAsync(eventId, position, maxWait, time);
    }

    /// <summary>
    /// After a write (nothing unsaved): every waiter whose message is decided in storage hears it. A batch passes the
    /// stock right after each waited message's decision.
    /// </summary>
    public void Complete(ProductLedger ledger, IReadOnlyDictionary<EventPosition, StockView>? decidedStocks)
    {
        if (!_waiters.IsEmpty)
        {
            _waiters.Complete((eventId, position) => DecisionOf(ledger, eventId, position, decidedStocks));
        }
    }

    /// <summary>A new state was read: the kept stocks are of another history.</summary>
    public void Reset() => _recentStocks.Clear();

    /// <summary>
    /// The memory is dropped or the activation ends: waiters ask again and reach the next activation, whose retried
    /// batch or stored state answers them.
    /// </summary>
    public void ReleaseAll()
    {
        _recentStocks.Clear();
        _waiters.ReleaseAll();
    }

    // The decision about the message at the position, with the stock right after it: from this batch (unless the
    // message was only redelivered in it), else from the last few versions, else the current stock. For a decided
    // message whose decision the window dropped, the honest "no longer kept"; null while the message is undecided.
    private EventDecision? DecisionOf(ProductLedger ledger, string eventId, EventPosition position, IReadOnlyDictionary<EventPosition, StockView>? decidedStocks)
    {
        if (ledger.DecisionOf(eventId, position) is not { } seen)
        {
            return ledger.IsRedelivery(position) ? EventDecision.NotKept(ledger.ToStockView()) : null;
        }

        var stock = decidedStocks?.GetValueOrDefault(position) is { } decided && decided.Version == seen.Version
            ? decided
            : _recentStocks.At(seen.Version) ?? ledger.ToStockView();
        return new EventDecision(seen.Status, seen.Reason, seen.Version, stock);
    }
}
