namespace InventoryOrleans.Runtime;

/// <summary>
/// Base class of every grain, following Orleans' <c>Grain</c>: one activation per key, calls run one turn at a time,
/// state (from <see cref="IPersistentState{TState}"/> constructor parameters) is loaded before <see cref="OnActivateAsync"/>.
/// </summary>
public abstract class Grain
{
    private IGrainContext? _context;

    /// <summary>The activation's context; set by the runtime before <see cref="OnActivateAsync"/>.</summary>
    internal IGrainContext Context
    {
        get => _context ?? throw new InvalidOperationException("The grain is not activated by the runtime; create grains through IGrainFactory.");
        set => _context = value;
    }

    /// <summary>Factory for calling other grains.</summary>
    protected IGrainFactory GrainFactory => Context.GrainFactory;

    /// <summary>The grain's key, as Orleans' <c>this.GetPrimaryKeyString()</c>.</summary>
    public string GetPrimaryKeyString() => Context.Key;

    /// <summary>Called after state is loaded and before the first call is delivered. A throw fails that call; the next call retries.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called once before the activation is dropped.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Asks the runtime to deactivate this activation once the current turn ends.</summary>
    protected void DeactivateOnIdle() => Context.DeactivateOnIdle();

    /// <summary>Records durably that this grain wants attention at <paramref name="dueAt"/> (see <see cref="IReminderTable"/>).</summary>
    protected Task RegisterOrUpdateReminderAsync(DateTimeOffset dueAt, CancellationToken cancellationToken = default) =>
        Context.Reminders.UpsertAsync(Context.GrainType, Context.Key, dueAt, cancellationToken);

    /// <summary>Removes this grain's reminder, if any.</summary>
    protected Task UnregisterReminderAsync(CancellationToken cancellationToken = default) =>
        Context.Reminders.RemoveAsync(Context.GrainType, Context.Key, cancellationToken);
}
