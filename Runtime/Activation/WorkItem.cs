namespace InventoryOrleans.Runtime;

/// <summary>A call waiting in an activation's mailbox; it can also move to another activation or fail without running.</summary>
internal abstract class WorkItem
{
    /// <summary>Runs the call as one turn and completes the caller's task; never throws. True when the call failed on a stale ETag.</summary>
    public abstract ValueTask<bool> RunAsync(Grain grain);

    /// <summary>Fails the caller's task without running the call.</summary>
    public abstract void Fail(Exception exception);
}
