using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Groups;

/// <summary>The coordinator's log messages.</summary>
internal static partial class GroupLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId}: rebalance started ({Reason})")]
    public static partial void RebalanceStarted(ILogger logger, string groupId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId}: generation {Generation} with {MemberCount} member(s), protocol {Protocol}, leader {LeaderId}")]
    public static partial void GenerationCompleted(ILogger logger, string groupId, int generation, int memberCount, string? protocol, string? leaderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {GroupId}: member {MemberId} removed ({Reason})")]
    public static partial void MemberRemoved(ILogger logger, string groupId, string memberId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Offsets log {Path}: {GroupCount} group(s), {OffsetCount} committed offset(s), pending offsets of {TransactionCount} open transaction(s) restored")]
    public static partial void OffsetsLoaded(ILogger logger, string path, int groupCount, int offsetCount, int transactionCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offsets log {Path}: unreadable record at line {Line} ignored with the rest of the file (a write cut short by a crash)")]
    public static partial void OffsetsLogTruncated(ILogger logger, string path, int line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Offsets log {Path}: write failed; the commit is refused and the file will be rewritten")]
    public static partial void OffsetsWriteFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Group coordinator check failed")]
    public static partial void CheckFailed(ILogger logger, Exception exception);
}
