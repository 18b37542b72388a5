namespace InventoryOrleans.Ingest.Transactions;

/// <summary>
/// A transaction begun by <see cref="TransactionalCommitter.Begin"/>: its outcome once the worker is done, or, when it
/// does not answer by its deadline, what giving its producer up answers.
/// </summary>
internal sealed class PendingCommit
{
    private readonly Task<CommitResult> _work;
    private readonly long _deadline;
    private readonly TimeProvider _time;
    private readonly Func<CommitResult> _giveUp;
    private CommitResult? _result;

    public PendingCommit(Task<CommitResult> work, long deadline, TimeProvider time, Func<CommitResult> giveUp)
    {
        _work = work;
        _deadline = deadline;
        _time = time;
        _giveUp = giveUp;
    }

    /// <summary>A commit that ended before it started (its producer could not be made).</summary>
    public static PendingCommit Done(CommitResult result) =>
        new(Task.FromResult(result), 0, TimeProvider.System, () => result);

    /// <summary>Whether the outcome is known without waiting.</summary>
    public bool IsCompleted => _result is not null || _work.IsCompleted;

    /// <summary>Waits for the outcome (at most until the deadline set when it began). The same answer every time.</summary>
    public CommitResult Wait()
    {
        if (_result is { } known)
        {
            return known;
        }

        var left = _work.IsCompleted ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, (long)((_deadline - _time.GetTimestamp()) * (TimeSpan.TicksPerSecond / (double)_time.TimestampFrequency))));
        _result = ((IAsyncResult)_work).AsyncWaitHandle.WaitOne(left) || _work.IsCompleted ? _work.GetAwaiter().GetResult() : _giveUp();
        return _result.Value;
    }
}
