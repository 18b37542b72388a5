using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Runtime;

/// <summary>
/// One live grain instance and its mailbox. Whoever owns <see cref="_busy"/> may touch the grain: a caller that finds the
/// activation idle takes it with one compare-and-swap and runs its call on its own thread (no hop, like an uncontended lock);
/// otherwise the call queues and the owner's turn loop runs the queue in order on the thread pool. One turn at a time, and an
/// await inside a turn does not let the next call in (non-reentrant, as Orleans grains by default). Activation and
/// deactivation own the activation too, so a call never sees a half-built or departing grain.
/// </summary>
internal sealed class GrainActivation : IGrainContext
{
    private const int NoDeactivation = -1;

    private readonly Lock _gate = new();
    private readonly Queue<WorkItem> _queue = new();
    private readonly GrainRuntime _runtime;
    private readonly GrainClass _class;
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // 1 while someone owns the grain (a turn, the turn loop, activation, deactivation); Invalid keeps it at 1 for ever.
    private int _busy = 1;
    private volatile ActivationState _state = ActivationState.Activating;
    private volatile int _queued;
    private int _pendingDeactivation = NoDeactivation;
    private Grain? _grain;

    // Idle collection works in quanta, as in Orleans: a call marks the activation used; each scan that finds it unused ages it.
    private volatile bool _usedSinceScan = true;
    private long _idleSinceTimestamp;

    public GrainActivation(GrainRuntime runtime, GrainClass grainClass, string key)
    {
        _runtime = runtime;
        _class = grainClass;
        Key = key;
    }

    public string GrainType => _class.GrainType;

    public string Key { get; }

    public IGrainFactory GrainFactory => _runtime;

    public IReminderTable Reminders => _runtime.Reminders;

    /// <summary>
    /// A reference bound to this activation, handed out again by <c>GetGrain</c> for this key while the activation lives, so
    /// callers that ask for the grain on every call neither allocate a reference nor look the activation up twice.
    /// </summary>
    public GrainReference? CachedReference { get; set; }

    /// <summary>True once the activation has left the directory; a reference holding it must look up the next one.</summary>
    public bool IsInvalid => _state == ActivationState.Invalid;

    public void DeactivateOnIdle()
    {
        // Inside a turn this takes effect when the turn ends; no later call reaches this instance.
        RequestDeactivation(DeactivationReason.ApplicationRequested);
    }

    /// <summary>Delivers a call: inline when idle, queued otherwise, or to the next activation when this one is gone.</summary>
    public Task<T> InvokeAsync<T>(Func<Grain, object?[], Task<T>> call, object?[] args)
    {
        _usedSinceScan = true;
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return Enqueue(call, args);
        }

        // Owned and idle, so Valid (every other state keeps _busy at 1).
        if (Volatile.Read(ref _pendingDeactivation) != NoDeactivation)
        {
            var deferred = new CallWorkItem<T>(call, args);
            lock (_gate)
            {
                _queue.Enqueue(deferred);
                _queued++;
            }

            ContinueOwned();
            return deferred.Task;
        }

        Task<T> turn;
        try
        {
            turn = call(_grain!, args);
        }
        catch (Exception ex)
        {
            turn = Task.FromException<T>(ex);
        }

        if (turn.IsCompleted)
        {
            EndTurn(IsInconsistent(turn));
            return turn;
        }

        return AwaitTurnAsync(turn);
    }

    /// <summary>Queues a call moved here from a previous activation; false when this one is gone too.</summary>
    public bool TryEnqueue(WorkItem item)
    {
        lock (_gate)
        {
            if (_state == ActivationState.Invalid)
            {
                return false;
            }

            _queue.Enqueue(item);
            _queued++;
        }

        _usedSinceScan = true;
        if (Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            ContinueOwned();
        }

        return true;
    }

    /// <summary>Asks for deactivation after the current turn (at once when idle); the task completes when it is done.</summary>
    public Task RequestDeactivation(DeactivationReason reason)
    {
        Interlocked.CompareExchange(ref _pendingDeactivation, (int)reason, NoDeactivation);
        if (Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            ContinueOwned();
        }

        // Otherwise the owner (turn, activation, deactivation in progress) sees the request when it lets go.
        return _deactivated.Task;
    }

    /// <summary>One idle-collection scan: deactivates when no call came for <paramref name="ageTimestampTicks"/>.</summary>
    public bool CollectIfIdle(long nowTimestamp, long ageTimestampTicks)
    {
        if (_state != ActivationState.Valid || Volatile.Read(ref _busy) != 0)
        {
            return false;
        }

        if (_usedSinceScan)
        {
            _usedSinceScan = false;
            _idleSinceTimestamp = nowTimestamp;
            return false;
        }

        if (nowTimestamp - _idleSinceTimestamp < ageTimestampTicks || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }

        if (_usedSinceScan)
        {
            // A call slipped in between the checks: not idle after all.
            if (!TryRelease())
            {
                ContinueOwned();
            }

            return false;
        }

        Interlocked.CompareExchange(ref _pendingDeactivation, (int)DeactivationReason.IdleCollection, NoDeactivation);
        ContinueOwned();
        return true;
    }

    /// <summary>Creates the grain, loads its state and runs <c>OnActivateAsync</c>; calls queued meanwhile run afterwards.</summary>
    public void Start() => _ = Task.Run(ActivateAsync);

    private static bool IsInconsistent(Task turn) => turn.IsFaulted && turn.Exception!.InnerException is InconsistentStateException;

    private Task<T> Enqueue<T>(Func<Grain, object?[], Task<T>> call, object?[] args)
    {
        var item = new CallWorkItem<T>(call, args);
        lock (_gate)
        {
            if (_state == ActivationState.Invalid)
            {
                item = null;
            }
            else
            {
                _queue.Enqueue(item);
                _queued++;
            }
        }

        if (item is null)
        {
            var forwarded = new CallWorkItem<T>(call, args);
            _runtime.Forward(_class, Key, forwarded);
            return forwarded.Task;
        }

        // The owner may have let go between our failed compare-and-swap and the enqueue: then the queue is ours to run.
        if (Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            ContinueOwned();
        }

        return item.Task;
    }

    private async Task<T> AwaitTurnAsync<T>(Task<T> turn)
    {
        try
        {
            return await turn;
        }
        finally
        {
            // Before the caller resumes, so its next call already sees the turn over (or the deactivation it asked for).
            EndTurn(IsInconsistent(turn));
        }
    }

    private void EndTurn(bool inconsistent)
    {
        if (inconsistent)
        {
            // As Orleans: a stale ETag means another writer owns the grain; drop the in-memory state.
            Interlocked.CompareExchange(ref _pendingDeactivation, (int)DeactivationReason.InconsistentState, NoDeactivation);
        }

        if (!TryRelease())
        {
            ContinueOwned();
        }
    }

    /// <summary>
    /// Called by the owner with no turn running: lets go when there is nothing to do. False when the owner must go on (queued
    /// calls or a deactivation request), including work that arrived while letting go (checked again after the release).
    /// </summary>
    private bool TryRelease()
    {
        while (true)
        {
            if (HasWork())
            {
                return false;
            }

            Interlocked.Exchange(ref _busy, 0);
            if (!HasWork() || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            {
                return true;
            }
        }
    }

    private bool HasWork() => _queued > 0 || Volatile.Read(ref _pendingDeactivation) != NoDeactivation;

    /// <summary>The owner has work: deactivate if asked, else run the queue on the thread pool.</summary>
    private void ContinueOwned()
    {
        if (Volatile.Read(ref _pendingDeactivation) != NoDeactivation)
        {
            _state = ActivationState.Deactivating;
            _ = Task.Run(DeactivateAsync);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.RunQueueAsync(), this, preferLocal: false);
        }
    }

    private async Task RunQueueAsync()
    {
        while (true)
        {
            if (Volatile.Read(ref _pendingDeactivation) != NoDeactivation)
            {
                _state = ActivationState.Deactivating;
                await DeactivateAsync();
                return;
            }

            WorkItem? item;
            lock (_gate)
            {
                if (_queue.TryDequeue(out item))
                {
                    _queued--;
                }
            }

            if (item is null)
            {
                if (TryRelease())
                {
                    return;
                }

                continue;
            }

            if (await item.RunAsync(_grain!))
            {
                Interlocked.CompareExchange(ref _pendingDeactivation, (int)DeactivationReason.InconsistentState, NoDeactivation);
            }
        }
    }

    private async Task ActivateAsync()
    {
        Exception? failure = null;
        try
        {
            using var timeout = new CancellationTokenSource(_runtime.Options.ActivationTimeout, _runtime.Time);
            var (grain, states) = _class.Create(_runtime, Key);
            foreach (var state in states)
            {
                await state.LoadAsync(timeout.Token);
            }

            grain.Context = this;
            await grain.OnActivateAsync(timeout.Token);
            _grain = grain;
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        if (failure is not null)
        {
            GrainRuntimeLog.ActivationFailed(_runtime.Logger, failure, GrainType, Key);
            _class.Remove(this);

            // The calls that waited for this activation fail with the cause; the next call tries a fresh activation.
            foreach (var item in Invalidate())
            {
                item.Fail(failure);
            }

            _deactivated.TrySetResult();
            return;
        }

        _class.Gauge.Increment();
        _state = ActivationState.Valid;
        EndTurn(inconsistent: false);
    }

    private async Task DeactivateAsync()
    {
        var pending = Volatile.Read(ref _pendingDeactivation);
        var reason = pending == NoDeactivation ? DeactivationReason.ExplicitDeactivation : (DeactivationReason)pending;
        try
        {
            using var timeout = new CancellationTokenSource(_runtime.Options.DeactivationTimeout, _runtime.Time);
            await _grain!.OnDeactivateAsync(reason, timeout.Token);
        }
        catch (Exception ex)
        {
            GrainRuntimeLog.DeactivationFailed(_runtime.Logger, ex, GrainType, Key, reason);
        }

        // Leave the directory first, so calls from now on create the next activation; those that found this one queue here
        // until it is Invalid and then move over below (or forward themselves).
        _class.Remove(this);
        _class.Gauge.Decrement();
        var waiting = Invalidate();

        // References may still hold this activation until their next call; let the grain go.
        _grain = null;
        GrainRuntimeLog.Deactivated(_runtime.Logger, GrainType, Key, reason);
        _deactivated.TrySetResult();
        foreach (var item in waiting)
        {
            _runtime.Forward(_class, Key, item);
        }
    }

    private WorkItem[] Invalidate()
    {
        lock (_gate)
        {
            _state = ActivationState.Invalid;
            WorkItem[] waiting = [.. _queue];
            _queue.Clear();
            _queued = 0;
            return waiting;
        }
    }
}
