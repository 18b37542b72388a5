using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Grains;

/// <summary>
/// One product's stock. A thin shell around <see cref="ProductLedger"/>: checks the key, applies the rules, persists
/// once per call when anything changed, and keeps a durable reminder at the earliest reservation expiry.
/// </summary>
public sealed class ProductGrain(
    ILogger<ProductGrain> logger,
    TimeProvider time,
    IOptions<ProductGrainOptions> options,
    [PersistentState("product")] IPersistentState<ProductState> state) : Grain, IProductGrain
{
    /// <summary>The grain type the runtime knows this grain by: its stored state and its reminders (<see cref="IReminderTable"/>) are keyed by it.</summary>
    public const string GrainTypeName = nameof(ProductGrain);

    private ProductLedger? _ledger;

    // Set when a write failed (see DiscardUnsavedState).
    private bool _reloadBeforeNextCall;

    // What this activation last put in the reminder table; unknown after activation.
    private bool _reminderKnown;
    private DateTimeOffset? _reminderDue;

    public async Task<ApplyResult> ApplyAsync(InventoryEvent inventoryEvent, EventPosition? position = null)
    {
        var ledger = await GetLedgerAsync();
        EventValidation.EnsureIdentity(inventoryEvent, ledger.ProductId);
        EventOutcome outcome;
        try
        {
            outcome = Apply(ledger, inventoryEvent, position, time.GetUtcNow());
        }
        catch (Exception)
        {
            DiscardUnsavedState();
            throw;
        }

        await SaveAsync(ledger);
        return new ApplyResult(outcome, ledger.ToStockView());
    }

    public async Task<BatchApplyResult> ApplyBatchAsync(IReadOnlyList<PositionedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var ledger = await GetLedgerAsync();

        // Check every identity first: a bad event anywhere must leave the whole batch unapplied.
        foreach (var positioned in events)
        {
            ArgumentNullException.ThrowIfNull(positioned);
            EventValidation.EnsureIdentity(positioned.Event, ledger.ProductId);
        }

        var versionBefore = ledger.State.Version;
        var now = time.GetUtcNow();
        var outcomes = new EventOutcome[events.Count];
        try
        {
            for (var i = 0; i < events.Count; i++)
            {
                outcomes[i] = Apply(ledger, events[i].Event, events[i].Position, now);
            }
        }
        catch (Exception)
        {
            // A bug in the rules surfaced half-way: the events before it must not stay applied in memory only.
            DiscardUnsavedState();
            throw;
        }

        await SaveAsync(ledger);
        return new BatchApplyResult(outcomes, ledger.ToStockView(), ledger.State.Version != versionBefore);
    }

    public async Task<ExpiryResult> ReleaseExpiredReservationsAsync()
    {
        var ledger = await GetLedgerAsync();
        var released = ledger.ReleaseExpired(time.GetUtcNow());
        if (released.Count > 0)
        {
            ProductGrainLog.ReservationsExpired(logger, ledger.ProductId, released.Count);
            await SaveAsync(ledger);
        }
        else
        {
            // Woken with nothing due (the reservation ended meanwhile): move the reminder so it stops firing.
            await SyncReminderAsync(ledger);
        }

        return new ExpiryResult(released, ledger.ToStockView());
    }

    public async Task<StockView> GetStockAsync() => (await GetLedgerAsync()).ToStockView();

    private EventOutcome Apply(ProductLedger ledger, InventoryEvent inventoryEvent, EventPosition? position, DateTimeOffset now)
    {
        var outcome = ledger.Apply(inventoryEvent, position, now);
        if (outcome.Reason == RejectionReasons.InvalidEvent)
        {
            ProductGrainLog.InvalidEventRejected(logger, ledger.ProductId, inventoryEvent.EventId, EventValidation.FindInvalidContent(inventoryEvent) ?? "");
        }

        return outcome;
    }

    private async ValueTask<ProductLedger> GetLedgerAsync()
    {
        if (_reloadBeforeNextCall)
        {
            await state.ReadStateAsync();
            _ledger = null;
            _reminderKnown = false;
            _reloadBeforeNextCall = false;
        }

        if (_ledger is null || !ReferenceEquals(_ledger.State, state.State))
        {
            _ledger = new ProductLedger(GetPrimaryKeyString(), state.State, options.Value.DedupWindowSize);
        }

        return _ledger;
    }

    private async Task SaveAsync(ProductLedger ledger)
    {
        if (!ledger.HasUnsavedChanges)
        {
            return;
        }

        try
        {
            // A new earlier expiry goes into the reminder table before the state that holds it, so a crash in
            // between can only cause an early wake-up, never a missed expiry.
            if (ledger.EarliestExpiry is { } due && (!_reminderKnown || _reminderDue is null || due < _reminderDue))
            {
                await RegisterOrUpdateReminderAsync(due);
                (_reminderKnown, _reminderDue) = (true, due);
            }

            await state.WriteStateAsync();
            ledger.MarkSaved();
        }
        catch (Exception exception)
        {
            ProductGrainLog.WriteFailed(logger, ledger.ProductId, exception);
            DiscardUnsavedState();
            throw;
        }

        try
        {
            await SyncReminderAsync(ledger);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The state is saved and the table holds an expiry no later than the true earliest, so the worst case
            // is an early wake-up; failing the call now would make the caller retry events that are already applied.
            ProductGrainLog.ReminderUpdateFailed(logger, ledger.ProductId, exception);
            _reminderKnown = false;
        }
    }

    // The in-memory state holds changes storage never got: drop this activation, and should a call still reach it,
    // reload first, so a retry is decided against what storage holds.
    private void DiscardUnsavedState()
    {
        _reloadBeforeNextCall = true;
        DeactivateOnIdle();
    }

    private async Task SyncReminderAsync(ProductLedger ledger)
    {
        var due = ledger.EarliestExpiry;
        if (_reminderKnown && _reminderDue == due)
        {
            return;
        }

        if (due is { } dueAt)
        {
            await RegisterOrUpdateReminderAsync(dueAt);
        }
        else
        {
            await UnregisterReminderAsync();
        }

        (_reminderKnown, _reminderDue) = (true, due);
    }
}
