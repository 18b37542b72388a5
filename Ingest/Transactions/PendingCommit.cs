namespace InventoryOrleans.Ingest.Transactions;

/// <summary>
/// A transaction begun by <see cref="TransactionalCommitter.Begin"/>: its outcome once the worker is done, or, when it
/// does not answer within its bound (from when it began), what giving its producer up answers.
/// </summary>
internal sealed class PendingCommit
{
    private readonly Task<CommitResult> _work;
    private readonly long _started;
    private readonly TimeSpan _bound;
    private readonly TimeProvider _time;
    private readonly Func<CommitResult> _giveUp;
    private CommitResult? _result;

    public PendingCommit(Task<CommitResult> work, TimeSpan bound, TimeProvider time, Func<CommitResult> giveUp)
    {
        _work = work;
        _started = time.GetTimestamp();
        _bound = bound;
        _time = time;
        _giveUp = giveUp;
    }

    /// <summary>A commit that ended before it started (its producer could not be made).</summary>
    public static PendingCommit Done(CommitResult result) =>
        new(Task.FromResult(result), TimeSpan.Zero, TimeProvider.System, () => result);

    /// <summary>The attempt's own end, whenever it comes (what its trace ends with; <see cref="Wait"/> is bounded).</summary>
    public Task<CommitResult> Completion => _work;

    /// <summary>Whether the outcome is known without waiting.</summary>
    public bool IsCompleted => _result is not null || _work.IsCompleted;

    /// <summary>Waits for the outcome (at most until the deadline set when it began). The same answer every time.</summary>
    public CommitResult Wait()
    {
        if (_result is { } known)
        {
            return known;
        }

        var left = _bound - _time.GetElapsedTime(_started);
        _result = _work.IsCompleted || ((IAsyncResult)_work).AsyncWaitHandle.WaitOne(left > TimeSpan.Zero ? left : TimeSpan.Zero)
            ? _work.GetAwaiter().GetResult()
            : _giveUp();
        return _result.Value;
    }
}
