using System.Diagnostics;
using InventoryOrleans.Ingest.Transactions;

namespace InventoryOrleans.Ingest.Tracing;

/// <summary>
/// The spans of one publication attempt (<see cref="BatchTrace.StartPublish"/>). Disposing it gives the pipeline thread
/// back its current activity; the spans themselves end with the attempt's outcome, which with overlapped batches
/// comes on the committer's worker, later.
/// </summary>
internal sealed class PublishTrace(Activity? send, List<Activity> perEvent, Activity? previous) : IDisposable
{
    private int _ended;

    /// <summary>Ends the attempt's spans with its outcome, once.</summary>
    public void End(CommitResult result)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            return;
        }

        foreach (var span in perEvent)
        {
            Stop(span, result);
        }

        if (send is not null)
        {
            Stop(send, result);
        }
    }

    public void Dispose() => Activity.Current = previous;

    private static void Stop(Activity span, CommitResult result)
    {
        if (result.Status != CommitStatus.Committed)
        {
            span.SetTag(MessagingTags.ErrorType, result.Status.ToString()).SetStatus(ActivityStatusCode.Error, result.Problem);
        }

        span.Stop();
    }
}

/// <summary>Ends a <see cref="PublishTrace"/> with the outcome of the commit it traces, in line with the pipeline's calls.</summary>
internal static class PublishTraceExtensions
{
    public static CommitResult TracedBy(this CommitResult result, PublishTrace? trace)
    {
        trace?.End(result);
        return result;
    }

    public static PendingCommit TracedBy(this PendingCommit pending, PublishTrace? trace)
    {
        if (trace is not null)
        {
            pending.Completion.ContinueWith(
                work => trace.End(work.IsCompletedSuccessfully ? work.Result : new CommitResult(CommitStatus.Unknown, work.Exception?.GetBaseException().Message)),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return pending;
    }
}
