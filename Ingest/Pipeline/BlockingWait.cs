namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// Blocks the consumer thread on a stage running on the thread pool. <c>GetAwaiter().GetResult()</c> spins before it
/// sleeps, and on a 2-core machine that spinning took measurable CPU from the very grains and storage calls being
/// waited for; a kernel wait takes none.
/// </summary>
internal static class BlockingWait
{
    public static T For<T>(Task<T> task)
    {
        if (!task.IsCompleted)
        {
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
        }

        return task.GetAwaiter().GetResult();
    }

    public static void For(Task task)
    {
        if (!task.IsCompleted)
        {
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
        }

        task.GetAwaiter().GetResult();
    }
}
