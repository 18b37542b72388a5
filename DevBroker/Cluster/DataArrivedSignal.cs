namespace InventoryOrleans.DevBroker.Cluster;

/// <summary>Wakes long-polling Fetch requests when any partition gets data (no busy polling). Waiters re-check
/// their own partitions, so one signal for the broker is enough for a development broker.</summary>
internal sealed class DataArrivedSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next append; take it before checking for data, to miss none.</summary>
    public Task NextAsync() => Volatile.Read(ref _next).Task;

    public void Notify()
    {
        var previous = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}
