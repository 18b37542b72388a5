using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Transactions;

/// <summary>The transaction coordinator's log messages.</summary>
internal static partial class TransactionCoordinatorLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Transactional id {TransactionalId}: producer id {ProducerId} epoch {Epoch}")]
    public static partial void Initialized(ILogger logger, string transactionalId, long producerId, short epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transactional id {TransactionalId}: open transaction aborted and producer epoch {Epoch} fenced ({Reason})")]
    public static partial void Fenced(ILogger logger, string transactionalId, short epoch, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Transactional id {TransactionalId}: transaction {Outcome} on {PartitionCount} partition(s) and {GroupCount} group(s)")]
    public static partial void Completed(ILogger logger, string transactionalId, string outcome, int partitionCount, int groupCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Transactional id {TransactionalId}: completing the transaction failed; it is retried")]
    public static partial void CompletionFailed(ILogger logger, string transactionalId, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transaction state log {Path}: {Count} transactional id(s) restored, {Open} transaction(s) open, {Prepared} to complete")]
    public static partial void StateLoaded(ILogger logger, string path, int count, int open, int prepared);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction state log {Path}: unreadable record at line {Line} ignored with the rest of the file (a write cut short by a crash)")]
    public static partial void StateLogTruncated(ILogger logger, string path, int line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Transaction state log {Path}: write failed; the request is refused and the file will be rewritten")]
    public static partial void StateWriteFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Transaction coordinator check failed")]
    public static partial void CheckFailed(ILogger logger, Exception exception);
}
