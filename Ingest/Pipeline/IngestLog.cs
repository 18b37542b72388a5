using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>The ingest's log lines (its consumer loop, batch runner and rebalance handler log as the pipeline).</summary>
internal static partial class IngestLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest started: group {GroupId} on {BootstrapServers}")]
    public static partial void Started(ILogger logger, string groupId, string? bootstrapServers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest stopped: last batch committed, consumer left the group")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest killed: no more persist, publish or commit; the consumer is dropped without leaving the group")]
    public static partial void KilledNow(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assigned {Count} partitions (partition numbers {Partitions})")]
    public static partial void Assigned(ILogger logger, int count, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoking {Count} partitions: finishing the batch in flight, then deactivating their grains")]
    public static partial void Revoked(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deactivated {Count} product grains of partitions {Partitions}, which moved to another silo")]
    public static partial void Deactivated(ILogger logger, int count, string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deactivating the product grains of revoked partitions took over {Limit}; going on (their next call is routed to the new owner after they finish)")]
    public static partial void DeactivationSlow(ILogger logger, TimeSpan limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost {Count} partitions: the batch in flight is dropped uncommitted")]
    public static partial void Lost(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest paused by a {Cause} outage, retrying with backoff: {Problem}")]
    public static partial void Paused(ILogger logger, string cause, string? problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest resumed: storage, broker and schema registry reachable again")]
    public static partial void Resumed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commit refused ({Problem}): the partitions moved on; their next owner replays the batch, answered with the original decisions")]
    public static partial void CommitRefused(ILogger logger, string? problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} messages and {Expiries} expiry releases did not commit ({Problem}): nothing of it is visible; it is tried again in a new publication attempt")]
    public static partial void NotCommitted(ILogger logger, string? problem, int count, int expiries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Whether a batch's transaction committed is unknown ({Problem}); Kafka's publication marks will tell before the next attempt")]
    public static partial void OutcomeUnknown(ILogger logger, string? problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "The transaction of unknown outcome had committed: {Committed}")]
    public static partial void OutcomeSettled(ILogger logger, bool committed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up a batch of {Count} messages (a rebalance or a stop came during an outage); it stays uncommitted for the next owner")]
    public static partial void GaveUpInRebalance(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consume error {Code}: {Reason}")]
    public static partial void ConsumeError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Consume error {Code} again: {Reason}")]
    public static partial void ConsumeErrorAgain(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming again after consume errors")]
    public static partial void ConsumingAgain(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Committed offsets for the lag not available yet ({Code}: {Reason}); asked again at the next sample")]
    public static partial void CommittedLookupFailed(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Kafka consumer error {Code}: {Reason}")]
    public static partial void ConsumerError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fatal Kafka consumer error {Code}: {Reason}")]
    public static partial void FatalConsumerError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka consumer [{Facility}] {Message}")]
    public static partial void Librdkafka(ILogger logger, string facility, string message);
}
