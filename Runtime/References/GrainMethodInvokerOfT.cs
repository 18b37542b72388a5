namespace InventoryOrleans.Runtime;

/// <summary>
/// Delivers calls of one method whose result is <typeparamref name="T"/>: finds or creates the activation, applies the response
/// timeout when the call does not complete at once, and records the call's latency and outcome.
/// </summary>
internal sealed class GrainMethodInvoker<T>(
    GrainRuntime runtime,
    GrainClass grainClass,
    string method,
    ReturnShape shape,
    Func<Grain, object?[], Task<T>> call) : GrainMethodInvoker
{
    private readonly GrainMethodMetrics _metrics = runtime.Metrics.RegisterMethod(grainClass.GrainType, method);
    private readonly TimeProvider _time = runtime.Time;
    private readonly TimeSpan _timeout = runtime.Options.ResponseTimeout;

    public override object Invoke(GrainReference reference, object?[] args)
    {
        var task = Call(reference, args);
        return shape switch
        {
            ReturnShape.ValueTaskOfT => new ValueTask<T>(task),
            ReturnShape.ValueTask => new ValueTask(task),
            _ => task,
        };
    }

    private Task<T> Call(GrainReference reference, object?[] args)
    {
        var row = _metrics.Start(out var timed);
        var start = timed ? _time.GetTimestamp() : 0;
        Task<T> task;
        try
        {
            var activation = reference.Activation;
            if (activation is null || activation.IsInvalid)
            {
                reference.Activation = activation = runtime.GetOrCreateActivation(grainClass, reference.Key);
            }

            task = activation.InvokeAsync(call, args);
        }
        catch (Exception ex)
        {
            task = Task.FromException<T>(ex);
        }

        if (task.IsCompleted)
        {
            _metrics.Complete(row, !task.IsCompletedSuccessfully, timed, timed ? _time.GetTimestamp() - start : 0);
            return task;
        }

        return AwaitAsync(task, reference.Key, row, timed, start);
    }

    private async Task<T> AwaitAsync(Task<T> task, string key, int row, bool timed, long start)
    {
        var failed = true;
        try
        {
            var result = await task.WaitAsync(_timeout, _time);
            failed = false;
            return result;
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException(
                $"Call {grainClass.GrainType}.{method} on key '{key}' did not complete within the response timeout of {_timeout} (GrainRuntimeOptions.ResponseTimeout). The call may still run in the grain.");
        }
        finally
        {
            _metrics.Complete(row, failed, timed, timed ? _time.GetTimestamp() - start : 0);
        }
    }
}
