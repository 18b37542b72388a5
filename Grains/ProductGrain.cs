using InventoryOrleans.Grains.Decisions;
using InventoryOrleans.Grains.Expiry;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Placement;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Publication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace InventoryOrleans.Grains;

/// <summary>
/// One product's stock. A thin shell around <see cref="ProductLedger"/>: checks the key, applies the rules, persists
/// once per call when anything changed, keeps an Orleans reminder at the earliest reservation expiry, so expiry
/// happens while the product is idle, after a restart and after its silo died, and tracks through
/// <see cref="PublicationBook"/> which of its changes reached the output topics.
/// </summary>
[PartitionPlacement]
[GrainType(ProductGrain.GrainTypeName)]
public sealed class ProductGrain(
    ILogger<ProductGrain> logger,
    TimeProvider time,
    IOptions<ProductGrainOptions> options,
    IOptions<InventoryOptions> inventory,
    IExpiryPublisher expiryPublisher,
    LocalProductActivations activations,
    IProductOwnerLocator owners,
    IPublicationHistory publicationHistory,
    [PersistentState(ProductGrain.StateName, ProductGrain.StorageName)] IPersistentState<ProductState> state) : Grain, IProductGrain, IRemindable
{
    /// <summary>The grain type (stable: stored state and reminders are keyed by it).</summary>
    public const string GrainTypeName = "product";

    /// <summary>The grain storage provider the product state lives in (<see cref="Storage.SegmentedRedisGrainStorage"/>).</summary>
    public const string StorageName = "products";

    /// <summary>The name of the product's persistent state.</summary>
    public const string StateName = "product";

    /// <summary>The grain id of a product's grain.</summary>
    public static GrainId IdOf(string productId) => GrainId.Create(GrainTypeName, productId);

    /// <summary>The reminder that wakes the product when a reservation expires.</summary>
    public const string ExpiryReminder = Expiry.ExpiryReminder.Name;

    private readonly PublicationBook _publications = new(publicationHistory);
    private readonly DecisionDesk _decisions = new();
    private readonly OwnerMove _ownerMove = new(owners);
    private ExpiryReminder? _reminder;

    private ProductLedger? _ledger;

    // Set when a write failed: the in-memory state holds changes storage never got (see DiscardUnsavedState).
    private bool _reloadBeforeNextCall;

    // The key decoded once: Orleans builds a new string from the grain id on every GetPrimaryKeyString, and the owner
    // check after each batch asks for it.
    private string? _productId;

    private string ProductId => _productId ??= this.GetPrimaryKeyString();

    // Made on first use: they need the grain itself, which field initializers cannot reach.
    private ExpiryReminder Reminder => _reminder ??= new ExpiryReminder(this, time, options.Value.ExpiryRetryPeriod);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        activations.Activated(ProductId, GrainContext);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        activations.Deactivated(ProductId, GrainContext);

        // Waiters ask again and reach the next activation.
        _decisions.ReleaseAll();
        return Task.CompletedTask;
    }

    public async Task<BatchApplyResult> ApplyBatchAsync(IReadOnlyList<PositionedEvent> events, PublicationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(events);
        var ledger = await GetLedgerAsync();

        // Check every identity first: a bad event anywhere must leave the whole batch unapplied.
        foreach (var positioned in events)
        {
            ArgumentNullException.ThrowIfNull(positioned);
            EventValidation.EnsureIdentity(positioned.Event, ledger.ProductId);
        }

        // Settling alone writes nothing: the stored attempt settles the same way again until the next write.
        await _publications.SettleAsync(ledger.State, ticket);
        var versionBefore = ledger.State.Version;
        var now = time.GetUtcNow();
        var outcomes = new EventOutcome[events.Count];
        Dictionary<EventPosition, StockView>? decidedForWaiters = null;
        StockView? latest = null;
        try
        {
            for (var i = 0; i < events.Count; i++)
            {
                outcomes[i] = Apply(ledger, events[i], now);
                if (ledger.State.Version != (latest?.Version ?? versionBefore))
                {
                    // Kept for waits that ask after this decision, once it is persisted (see WaitForDecisionAsync).
                    latest = ledger.ToStockView();
                    _decisions.Record(latest);
                }

                if (_decisions.Awaits(outcomes[i].EventId, events[i].Position))
                {
                    // The stock right after this message's decision, for whoever waits for it.
                    (decidedForWaiters ??= [])[events[i].Position!.Value] = latest ?? ledger.ToStockView();
                }
            }
        }
        catch (Exception)
        {
            // A bug in the rules surfaced half-way: the events before it must not stay applied in memory only.
            DiscardUnsavedState();
            throw;
        }

        // What goes out with this attempt: every change and alert not known published (a redelivered message's first
        // attempt did not commit, so its outputs are among them), recorded before anything is published.
        _ = ledger.TakeAlerts();
        var (stockDue, alerts) = PublicationBook.Claim(ledger.State, ticket);
        if (stockDue)
        {
            ledger.MarkChanged();
        }

        await SaveAsync(ledger, decidedForWaiters);
        var stock = latest ?? ledger.ToStockView();
        MoveToOwnerIfElsewhere();
        return new BatchApplyResult(outcomes, stock, stockDue, alerts);
    }

    public async Task<StockView> GetStockAsync() => (await GetLedgerAsync()).ToStockView();

    public async Task<bool> HoldsDecisionAsync(string eventId, EventPosition position)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);

        // Storage, not this activation: after storage went back (an older append-only file, a lagging replica) an
        // activation that wrote before still holds in memory what storage lost.
        var stored = new GrainState<ProductState>();
        await ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageName).ReadStateAsync(StateName, this.GetGrainId(), stored);
        if (!string.Equals(stored.ETag, state.Etag, StringComparison.Ordinal))
        {
            // Storage holds other than what this activation last read or wrote: it went back, or a rebuild replaced the
            // product. Serving and deciding from this memory would go on from lost state; the next call reads storage.
            DeactivateOnIdle();
        }

        return StoredDecision.Holds(stored.State ?? new ProductState(), eventId, position, options.Value.DedupWindowSize);
    }

    public async Task<StockPublication?> PreparePublicationAsync(PublicationTicket ticket)
    {
        var ledger = await GetLedgerAsync();
        var expiryPending = ledger.State.ExpiryPublishPending;
        await _publications.SettleAsync(ledger.State, ticket);
        var (stockDue, alerts) = PublicationBook.Claim(ledger.State, ticket);

        // Written when the claim must be durable before anything goes out, and when the expiry release turned out
        // published already (so a stored state does not show it pending).
        if (stockDue || expiryPending != ledger.State.ExpiryPublishPending)
        {
            ledger.MarkChanged();
        }

        await SaveOrSyncReminderAsync(ledger);
        return stockDue ? new StockPublication(ledger.ToStockView(), alerts) : null;
    }

    public async Task PublishedAsync(PublicationTicket ticket)
    {
        var ledger = await GetLedgerAsync();
        var expiryPending = ledger.State.ExpiryPublishPending;
        await _publications.SettleAsync(ledger.State, ticket);

        // Written only when an expiry release turned out published (or due again): so a stored state does not show it
        // pending, and the reminder is moved on.
        if (expiryPending)
        {
            ledger.MarkChanged();
        }

        await SaveOrSyncReminderAsync(ledger);
    }

    public async Task SkipPublicationAsync()
    {
        var ledger = await GetLedgerAsync();
        if (ledger.State.PublishedVersion != ledger.State.Version || ledger.State.PendingPublication is not null || ledger.State.RecentAlerts.Count > 0)
        {
            PublicationBook.MarkPublished(ledger.State, ledger.State.Version);
            ledger.MarkChanged();
        }

        await SaveOrSyncReminderAsync(ledger);
    }

    public async Task<EventDecision?> WaitForDecisionAsync(string eventId, EventPosition position, TimeSpan maxWait)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var ledger = await GetLedgerAsync();

        // While a write is on its way, what this activation holds may not be in storage yet: the waiter is answered by
        // that write once it is persisted (SaveAsync), whichever call made it.
        return await _decisions.WaitAsync(ledger, eventId, position, maxWait, time);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder)
        {
            return;
        }

        var ledger = await GetLedgerAsync();
        var released = ledger.ReleaseExpired(time.GetUtcNow());

        // Alerts the releases raise stay in the state until published, with the expiry's net stock or a later batch's.
        _ = ledger.TakeAlerts();
        if (released.Count > 0)
        {
            ProductGrainLog.ReservationsExpired(logger, ledger.ProductId, released.Count);

            // Until the release is known published, the reminder keeps firing (also on another silo after this one
            // died), and each firing hands the product to the publisher of the silo that owns its partition.
            ledger.State.ExpiryReleasedVersion = ledger.State.Version;
            var stock = ledger.ToStockView();
            _decisions.Record(stock);
            await SaveAsync(ledger);
        }

        if (ledger.State.ExpiryPublishPending)
        {
            // Only the silo that consumes the product's partition publishes for it (in its transactions): a reminder
            // that fires elsewhere queues it there to no effect, and the grain moves to that silo for the next firing.
            expiryPublisher.Enqueue(ledger.ProductId);
            MoveToOwnerIfElsewhere();
        }
        else
        {
            // Woken with nothing due (the reservation ended meanwhile, or the write that would have stored it failed
            // after its reminder was registered): the table holds this reminder whatever this activation believes, so
            // move it to the real earliest expiry or drop it.
            Reminder.Forget();
            await Reminder.SyncAsync(ledger);
        }
    }

    private EventOutcome Apply(ProductLedger ledger, PositionedEvent positioned, DateTimeOffset now)
    {
        var outcome = ledger.Apply(positioned.Event, positioned.Position, now);
        if (outcome.Reason == RejectionReasons.InvalidEvent)
        {
            ProductGrainLog.InvalidEventRejected(logger, ledger.ProductId, positioned.Event.EventId, EventValidation.FindInvalidContent(positioned.Event) ?? "");
        }

        return outcome;
    }

    private async ValueTask<ProductLedger> GetLedgerAsync()
    {
        if (_reloadBeforeNextCall)
        {
            await state.ReadStateAsync();
            _ledger = null;
            _reloadBeforeNextCall = false;
        }

        if (_ledger is null || !ReferenceEquals(_ledger.State, state.State))
        {
            _ledger = new ProductLedger(ProductId, state.State, options.Value.DedupWindowSize, inventory.Value.LowStockThreshold);
            _decisions.Reset();
            Reminder.Reset(state.State);
        }

        return _ledger;
    }

    // A write syncs the reminder after it; without one, the reminder is synced on its own.
    private async Task SaveOrSyncReminderAsync(ProductLedger ledger)
    {
        if (ledger.HasUnsavedChanges)
        {
            await SaveAsync(ledger);
        }
        else
        {
            await Reminder.SyncAsync(ledger);
        }
    }

    // Every write ends by answering the waiters whose message it made visible (the batch passes the stock right after
    // each waited message's decision): a wait that arrived while a watch, reminder or publication call was writing is
    // answered then, not at the next batch.
    private async Task SaveAsync(ProductLedger ledger, IReadOnlyDictionary<EventPosition, StockView>? decidedStocks = null)
    {
        if (!ledger.HasUnsavedChanges)
        {
            _decisions.Complete(ledger, decidedStocks);
            return;
        }

        try
        {
            await Reminder.BeforeWriteAsync(ledger);
            await state.WriteStateAsync();
            ledger.MarkSaved();
        }
        catch (Exception exception)
        {
            ProductGrainLog.WriteFailed(logger, ledger.ProductId, exception);
            DiscardUnsavedState();
            throw;
        }

        _decisions.Complete(ledger, decidedStocks);
        try
        {
            await Reminder.SyncAsync(ledger);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The state is saved and the table holds an expiry no later than the true earliest, so the worst case
            // is an early wake-up; failing the call now would make the caller retry events that are already applied.
            ProductGrainLog.ReminderUpdateFailed(logger, ledger.ProductId, exception);
            Reminder.Forget();
        }
    }

    // The ingest of the silo that consumes this product's partition calls it; a call that reached this silo through a
    // stale directory cache moves the activation to the owner once idle. Orleans places the migrating grain through
    // the partition placement director and forwards what is queued.
    private void MoveToOwnerIfElsewhere()
    {
        if (!_reloadBeforeNextCall && _ownerMove.Due(ProductId, GrainContext.Address.SiloAddress) is { } owner)
        {
            ProductGrainLog.Migrating(logger, ProductId, owner);
            MigrateOnIdle();
        }
    }

    // The in-memory state holds changes storage never got: drop this activation, and should a call still reach it,
    // reload first, so a retry is decided against what storage holds. Waiters whose messages may be decided only in
    // the dropped memory ask again, and the retried batch answers them.
    private void DiscardUnsavedState()
    {
        _reloadBeforeNextCall = true;
        _decisions.ReleaseAll();
        DeactivateOnIdle();
    }
}
