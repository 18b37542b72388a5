namespace InventoryOrleans.Runtime;

/// <summary>The result of a grain method that returns a plain <see cref="Task"/>, so one mailbox path serves every method shape.</summary>
internal sealed class VoidResult
{
    private static readonly Task<VoidResult?> Completed = Task.FromResult<VoidResult?>(null);

    private VoidResult()
    {
    }

    public static Task<VoidResult?> FromTask(Task task) =>
        task.IsCompletedSuccessfully ? Completed : AwaitAsync(task);

    private static async Task<VoidResult?> AwaitAsync(Task task)
    {
        await task;
        return null;
    }
}
