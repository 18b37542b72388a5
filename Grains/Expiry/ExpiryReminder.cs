using InventoryOrleans.Grains.Product;

namespace InventoryOrleans.Grains.Expiry;

/// <summary>
/// One product activation's expiry reminder: kept at the earliest reservation expiry, so expiry happens while the
/// product is idle, after a restart and after its silo died; kept firing while a release waits to be published;
/// dropped with neither. Remembers what it registered, so most writes change no reminder. Used from the grain's turns.
/// </summary>
internal sealed class ExpiryReminder(IGrainBase grain, TimeProvider time, TimeSpan retryPeriod)
{
    /// <summary>The reminder's name (stable: the reminder table is keyed by it).</summary>
    public const string Name = "expiry";

    // Whether _due is what the table holds; unknown after activation, a reload, or a failed update.
    private bool _known;
    private DateTimeOffset? _due;

    /// <summary>
    /// Starts from a freshly read state. A stored "no reminder" is true or harmlessly wrong (registered, then the write
    /// failed: an early wake-up); a stored due time may be stale (dropped after the last write), so it is not trusted.
    /// </summary>
    public void Reset(ProductState state) => (_known, _due) = (state.ExpiryReminderAt is null, null);

    /// <summary>Forgets what the table holds: the next sync registers or drops it for certain.</summary>
    public void Forget() => _known = false;

    /// <summary>
    /// Before a write: a new earlier expiry goes into the reminder table before the state that holds it, so a crash in
    /// between can only cause an early wake-up, never a missed expiry.
    /// </summary>
    public async Task BeforeWriteAsync(ProductLedger ledger)
    {
        if (ledger.EarliestExpiry is { } due && (!_known || _due is null || due < _due))
        {
            await RegisterAsync(ledger.State, due);
        }
    }

    /// <summary>
    /// Moves the reminder to the earliest expiry; while a release waits for its net stock to be published it keeps
    /// firing (registered in the past, it ticks every retry period); with neither it is dropped.
    /// </summary>
    public async Task SyncAsync(ProductLedger ledger)
    {
        if (ledger.State.ExpiryPublishPending)
        {
            if (!_known || _due is null || _due > time.GetUtcNow())
            {
                await RegisterAsync(ledger.State, time.GetUtcNow());
            }

            return;
        }

        var due = ledger.EarliestExpiry;
        if (_known && _due == due)
        {
            return;
        }

        if (due is { } dueAt)
        {
            await RegisterAsync(ledger.State, dueAt);
        }
        else
        {
            await UnregisterAsync(ledger.State);
        }
    }

    private async Task RegisterAsync(ProductState state, DateTimeOffset due)
    {
        var dueIn = due - time.GetUtcNow();
        await grain.RegisterOrUpdateReminder(Name, dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero, retryPeriod);
        (_known, _due) = (true, due);

        // Saved with the next write (the one that follows, or the product's next).
        state.ExpiryReminderAt = due;
    }

    private async Task UnregisterAsync(ProductState state)
    {
        if (await grain.GetReminder(Name) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }

        (_known, _due) = (true, null);
        state.ExpiryReminderAt = null;
    }
}
