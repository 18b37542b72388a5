namespace InventoryOrleans.Runtime;

/// <summary>A queued call whose caller waits on <see cref="Task"/>.</summary>
internal sealed class CallWorkItem<T>(Func<Grain, object?[], Task<T>> call, object?[] args) : WorkItem
{
    // Callers continue on the thread pool, not inside the activation's turn loop.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _completion.Task;

    public override ValueTask<bool> RunAsync(Grain grain)
    {
        Task<T> turn;
        try
        {
            turn = call(grain, args);
        }
        catch (Exception ex)
        {
            turn = System.Threading.Tasks.Task.FromException<T>(ex);
        }

        return turn.IsCompleted ? new ValueTask<bool>(Complete(turn)) : AwaitAsync(turn);
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    private async ValueTask<bool> AwaitAsync(Task<T> turn)
    {
        await ((Task)turn).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return Complete(turn);
    }

    private bool Complete(Task<T> turn)
    {
        if (turn.IsCompletedSuccessfully)
        {
            _completion.TrySetResult(turn.Result);
            return false;
        }

        if (turn.IsCanceled)
        {
            _completion.TrySetCanceled();
            return false;
        }

        _completion.TrySetException(turn.Exception!.InnerExceptions);
        return turn.Exception.InnerException is InconsistentStateException;
    }
}
