using InventoryOrleans.Api.Options;
using InventoryOrleans.Api.Posting;
using InventoryOrleans.Grains.Interfaces;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Outcomes;

/// <summary>
/// Waits for the product grain's decision about a posted event — the decision about the message this host produced,
/// found by its topic, partition and offset (a re-posted eventId is that message's Duplicate, not the first decision)
/// — wherever the grain lives (this host need not be the silo consuming the product's partition). The grain answers
/// once the message is decided and persisted; each call waits a bounded time and the waiter asks again — also after
/// the grain moved or its silo died — until <see cref="ApiOptions.OutcomeTimeout"/>.
/// </summary>
public sealed partial class OutcomeWaiter(IGrainFactory grains, IOptions<ApiOptions> options, TimeProvider time, ILogger<OutcomeWaiter> logger)
{
    // One grain call waits at most this long, so a grain that moves or dies costs a retry, not the whole wait.
    private static readonly TimeSpan SliceLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The decision, or null when none came within the configured timeout (the event stays posted).</summary>
    public async Task<EventDecision?> WaitAsync(PostedEvent posted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(posted);
        var grain = grains.GetProductGrain(posted.ProductId);
        var position = new EventPosition(posted.Topic, posted.Partition, posted.Offset);
        var deadline = time.GetTimestamp() + (long)(options.Value.OutcomeTimeout.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            var left = Left(deadline);
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            try
            {
                var slice = left < SliceLimit ? left : SliceLimit;
                var decision = await grain.WaitForDecisionAsync(posted.EventId, position, slice)
                    .WaitAsync(slice + TimeSpan.FromSeconds(5), time, cancellationToken);
                if (decision is not null)
                {
                    return decision;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A silo died or the grain is moving: ask again shortly (the decision is durable once made).
                Log.WaitRetry(logger, posted.EventId, e.GetType().Name, e.Message);
                await Task.Delay(RetryDelay, time, cancellationToken);
            }
        }
    }

    private TimeSpan Left(long deadline) => TimeSpan.FromSeconds((deadline - time.GetTimestamp()) / (double)time.TimestampFrequency);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Waiting for the decision on {EventId}: {Error}: {Message}; asking again")]
        public static partial void WaitRetry(ILogger logger, string eventId, string error, string message);
    }
}
