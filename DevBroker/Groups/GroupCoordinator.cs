using InventoryOrleans.DevBroker.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.DevBroker.Groups;

/// <summary>
/// Owns every consumer group and their committed offsets. One lock guards all group state (the operations are
/// short and never wait while holding it); JoinGroup and SyncGroup return tasks that complete when the rebalance
/// gets that far. A timer from the injected <see cref="TimeProvider"/> runs session and rebalance timeouts.
/// </summary>
public sealed class GroupCoordinator : IDisposable, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ConsumerGroup> _groups = new(StringComparer.Ordinal);
    private readonly GroupCoordinatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private OffsetLog? _log;
    private bool _logNeedsRewrite;
    private ITimer? _timer;

    public GroupCoordinator(GroupCoordinatorOptions options, TimeProvider time, ILogger? logger = null)
    {
        options.Validate();
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Replays the offsets log (when the options name a folder) and starts the timeout checks.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_options.OffsetsDirectory is { } directory)
            {
                _log = new OffsetLog(directory, _options.FsyncOnCommit, _logger);
                foreach (var record in _log.ReadAll())
                {
                    Replay(record);
                }

                // Rewriting at once compacts the file and drops a torn last line before anything is appended.
                _log.Rewrite(Snapshot());
                GroupLog.OffsetsLoaded(_logger, _log.FilePath, _groups.Count, _groups.Values.Sum(g => g.Offsets.Count), _groups.Values.Sum(g => g.PendingOffsets.Count));
            }

            _timer = _time.CreateTimer(_ => Check(), null, _options.CheckInterval, _options.CheckInterval);
        }
    }

    public Task<JoinGroupResult> JoinAsync(JoinGroupCommand command)
    {
        if (command.GroupId.Length == 0)
        {
            return Task.FromResult(JoinGroupResult.Failed(ErrorCode.InvalidGroupId, command.MemberId));
        }

        lock (_gate)
        {
            return GetOrCreate(command.GroupId).Join(command, _time.GetUtcNow());
        }
    }

    public Task<SyncGroupResult> SyncAsync(SyncGroupCommand command)
    {
        lock (_gate)
        {
            return _groups.TryGetValue(command.GroupId, out var group)
                ? group.Sync(command, _time.GetUtcNow())
                : Task.FromResult(SyncGroupResult.Failed(ErrorCode.UnknownMemberId));
        }
    }

    public ErrorCode Heartbeat(string groupId, int generationId, string memberId)
    {
        lock (_gate)
        {
            return _groups.TryGetValue(groupId, out var group)
                ? group.Heartbeat(generationId, memberId, _time.GetUtcNow())
                : ErrorCode.UnknownMemberId;
        }
    }

    /// <summary>Removes members from a group; one outcome per member, in order.</summary>
    public IReadOnlyList<ErrorCode> Leave(string groupId, IReadOnlyList<LeavingMember> members)
    {
        lock (_gate)
        {
            if (!_groups.TryGetValue(groupId, out var group))
            {
                return members.Select(_ => ErrorCode.UnknownMemberId).ToList();
            }

            var now = _time.GetUtcNow();
            return members.Select(m => group.Leave(m.MemberId, m.GroupInstanceId, now)).ToList();
        }
    }

    /// <summary>Stores offsets (durably before answering, when there is a log); one outcome per partition, in order.</summary>
    public IReadOnlyList<OffsetCommitOutcome> CommitOffsets(OffsetCommitCommand command)
    {
        lock (_gate)
        {
            var error = ErrorCode.None;
            if (command.GroupId.Length == 0)
            {
                error = ErrorCode.InvalidGroupId;
            }
            else if (_groups.TryGetValue(command.GroupId, out var existing))
            {
                error = existing.CanCommit(command.GenerationId, command.MemberId, _time.GetUtcNow());
            }
            else if (command.GenerationId >= 0)
            {
                // A generation from a group this broker doesn't know: the member belongs to a generation before a restart.
                error = ErrorCode.IllegalGeneration;
            }

            if (error != ErrorCode.None)
            {
                return command.Offsets.Select(o => new OffsetCommitOutcome(o.Topic, o.Partition, error)).ToList();
            }

            var group = GetOrCreate(command.GroupId);
            var accepted = command.Offsets
                .Where(o => (o.Metadata?.Length ?? 0) <= _options.MaxOffsetMetadataLength)
                .Select(o => new CommittedOffset(o.Topic, o.Partition, o.Offset, o.LeaderEpoch, o.Metadata))
                .ToList();
            if (accepted.Count > 0)
            {
                // Durable first: a commit the log could not take is refused the way Kafka refuses it when its
                // offsets topic can't take the write (NOT_COORDINATOR: the client finds the coordinator and retries).
                if (!TryAppend(new OffsetLogRecord(OffsetLogRecord.CommitType, group.GroupId, Offsets: accepted)))
                {
                    return command.Offsets.Select(o => new OffsetCommitOutcome(o.Topic, o.Partition, ErrorCode.NotCoordinator)).ToList();
                }

                accepted.ForEach(group.Offsets.Set);
            }

            return command.Offsets
                .Select(o => new OffsetCommitOutcome(
                    o.Topic,
                    o.Partition,
                    (o.Metadata?.Length ?? 0) <= _options.MaxOffsetMetadataLength ? ErrorCode.None : ErrorCode.OffsetMetadataTooLarge))
                .ToList();
        }
    }

    /// <summary>Stores offsets a transaction commits for the group as pending (durably, before answering), once the
    /// request's member, instance and generation pass the checks of <see cref="ConsumerGroup.CanCommitTransactional"/>;
    /// one outcome per partition, in order. <see cref="CompleteTransaction"/> applies or drops them.</summary>
    public IReadOnlyList<OffsetCommitOutcome> CommitTransactionalOffsets(TxnOffsetCommitCommand command)
    {
        lock (_gate)
        {
            var group = command.GroupId.Length == 0 ? null : GetOrCreate(command.GroupId);
            var error = group?.CanCommitTransactional(command.GenerationId, command.MemberId, command.GroupInstanceId) ?? ErrorCode.InvalidGroupId;
            if (error != ErrorCode.None)
            {
                return command.Offsets.Select(o => new OffsetCommitOutcome(o.Topic, o.Partition, error)).ToList();
            }

            var accepted = command.Offsets
                .Where(o => (o.Metadata?.Length ?? 0) <= _options.MaxOffsetMetadataLength)
                .Select(o => new CommittedOffset(o.Topic, o.Partition, o.Offset, o.LeaderEpoch, o.Metadata))
                .ToList();
            if (accepted.Count > 0)
            {
                if (!TryAppend(new OffsetLogRecord(OffsetLogRecord.TransactionalCommitType, group!.GroupId, Offsets: accepted, ProducerId: command.ProducerId)))
                {
                    return command.Offsets.Select(o => new OffsetCommitOutcome(o.Topic, o.Partition, ErrorCode.NotCoordinator)).ToList();
                }

                group.PendingOffsets.Add(command.ProducerId, accepted);
            }

            return command.Offsets
                .Select(o => new OffsetCommitOutcome(
                    o.Topic,
                    o.Partition,
                    (o.Metadata?.Length ?? 0) <= _options.MaxOffsetMetadataLength ? ErrorCode.None : ErrorCode.OffsetMetadataTooLarge))
                .ToList();
        }
    }

    /// <summary>Ends a producer's transaction for the group: its pending offsets become the committed ones, or are
    /// dropped. Idempotent (nothing pending: nothing to do). False when the offsets log could not record it; the
    /// transaction coordinator retries.</summary>
    public bool CompleteTransaction(string groupId, long producerId, bool commit)
    {
        lock (_gate)
        {
            if (!_groups.TryGetValue(groupId, out var group) || !group.PendingOffsets.HasAny(producerId))
            {
                return true;
            }

            var type = commit ? OffsetLogRecord.TransactionCommittedType : OffsetLogRecord.TransactionAbortedType;
            if (!TryAppend(new OffsetLogRecord(type, groupId, ProducerId: producerId)))
            {
                return false;
            }

            ApplyTransactionEnd(group, producerId, commit);
            return true;
        }
    }

    /// <summary>The committed offsets asked for (−1 where none); with <paramref name="topics"/> null, every committed offset of the group.</summary>
    public IReadOnlyList<CommittedOffset> FetchOffsets(string groupId, IReadOnlyList<OffsetFetchTopic>? topics) =>
        FetchOffsets(groupId, topics, requireStable: false).Select(f => f.Committed).ToList();

    /// <summary>The committed offsets asked for (−1 where none); with <paramref name="topics"/> null, every committed offset
    /// of the group. With <paramref name="requireStable"/>, a partition an open transaction holds an offset for answers
    /// UNSTABLE_OFFSET_COMMIT, so a new owner waits for the old owner's transaction to end (KIP-447).</summary>
    public IReadOnlyList<FetchedOffset> FetchOffsets(string groupId, IReadOnlyList<OffsetFetchTopic>? topics, bool requireStable)
    {
        lock (_gate)
        {
            _groups.TryGetValue(groupId, out var group);
            var offsets = topics is null
                ? group?.Offsets.All.OrderBy(o => o.Topic, StringComparer.Ordinal).ThenBy(o => o.Partition).ToList() ?? []
                : topics.SelectMany(t => t.Partitions.Select(p => group?.Offsets.Get(t.Topic, p) ?? CommittedOffset.None(t.Topic, p))).ToList();
            return offsets
                .Select(o => requireStable && group is not null && group.PendingOffsets.IsPending(o.Topic, o.Partition)
                    ? new FetchedOffset(CommittedOffset.None(o.Topic, o.Partition), ErrorCode.UnstableOffsetCommit)
                    : new FetchedOffset(o, ErrorCode.None))
                .ToList();
        }
    }

    public IReadOnlyList<GroupDescription> Describe(IReadOnlyList<string> groupIds)
    {
        lock (_gate)
        {
            return groupIds
                .Select(id => _groups.TryGetValue(id, out var group)
                    ? group.Describe()
                    : new GroupDescription(id, ErrorCode.None, nameof(GroupState.Dead), "", "", []))
                .ToList();
        }
    }

    public IReadOnlyList<GroupListing> List()
    {
        lock (_gate)
        {
            return _groups.Values
                .Select(g => new GroupListing(g.GroupId, g.ProtocolType ?? "", g.State.ToString()))
                .ToList();
        }
    }

    /// <summary>Deletes groups that have no members, with their offsets; one outcome per group id, in order.</summary>
    public IReadOnlyList<ErrorCode> Delete(IReadOnlyList<string> groupIds)
    {
        lock (_gate)
        {
            return groupIds.Select(DeleteGroup).ToList();
        }
    }

    /// <summary>Runs the timeouts now; the timer calls this every <see cref="GroupCoordinatorOptions.CheckInterval"/>.</summary>
    public void Check()
    {
        try
        {
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                foreach (var group in _groups.Values)
                {
                    group.Check(now);
                }
            }
        }
#pragma warning disable CA1031 // An exception escaping a timer callback ends the process; log it and check again next time.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            GroupLog.CheckFailed(_logger, exception);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            foreach (var group in _groups.Values)
            {
                group.Abort(ErrorCode.NotCoordinator);
            }

            _log?.Dispose();
            _log = null;
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private ErrorCode DeleteGroup(string groupId)
    {
        if (!_groups.TryGetValue(groupId, out var group))
        {
            return ErrorCode.GroupIdNotFound;
        }

        if (group.State != GroupState.Empty)
        {
            return ErrorCode.NonEmptyGroup;
        }

        if (!TryAppend(new OffsetLogRecord(OffsetLogRecord.DeleteType, groupId)))
        {
            return ErrorCode.NotCoordinator;
        }

        group.MarkDead();
        _groups.Remove(groupId);
        return ErrorCode.None;
    }

    private ConsumerGroup GetOrCreate(string groupId)
    {
        if (!_groups.TryGetValue(groupId, out var group))
        {
            group = new ConsumerGroup(groupId, _options, _logger, OnGenerationCompleted);
            _groups.Add(groupId, group);
        }

        return group;
    }

    private void OnGenerationCompleted(ConsumerGroup group)
    {
        if (group.ProtocolType is not null)
        {
            // Only the protocol type and generation, both recoverable: a failed write is logged and left at that.
            TryAppend(new OffsetLogRecord(OffsetLogRecord.GroupType, group.GroupId, group.ProtocolType, group.GenerationId));
        }
    }

    private bool TryAppend(OffsetLogRecord record)
    {
        if (_log is null)
        {
            return true;
        }

        try
        {
            // After a failed write the file may end in half a record; rewriting it from memory first keeps every
            // later record readable on replay.
            if (_logNeedsRewrite || _log.RecordsSinceRewrite > _options.CompactAfterRecords + (2 * _groups.Count))
            {
                _log.Rewrite(Snapshot());
                _logNeedsRewrite = false;
            }

            _log.Append(record);
            return true;
        }
        catch (IOException exception)
        {
            _logNeedsRewrite = true;
            GroupLog.OffsetsWriteFailed(_logger, _log.FilePath, exception);
            return false;
        }
    }

    private void Replay(OffsetLogRecord record)
    {
        switch (record.Type)
        {
            case OffsetLogRecord.GroupType:
                var group = GetOrCreate(record.Group);
                group.ProtocolType = record.ProtocolType;
                group.GenerationId = record.Generation ?? group.GenerationId;
                break;
            case OffsetLogRecord.CommitType:
                foreach (var offset in record.Offsets ?? [])
                {
                    GetOrCreate(record.Group).Offsets.Set(offset);
                }

                break;
            case OffsetLogRecord.DeleteType:
                _groups.Remove(record.Group);
                break;
            case OffsetLogRecord.TransactionalCommitType when record.ProducerId is { } producerId:
                GetOrCreate(record.Group).PendingOffsets.Add(producerId, record.Offsets ?? []);
                break;
            case OffsetLogRecord.TransactionCommittedType or OffsetLogRecord.TransactionAbortedType when record.ProducerId is { } producerId:
                if (_groups.TryGetValue(record.Group, out var ended))
                {
                    ApplyTransactionEnd(ended, producerId, record.Type == OffsetLogRecord.TransactionCommittedType);
                }

                break;
        }
    }

    private static void ApplyTransactionEnd(ConsumerGroup group, long producerId, bool commit)
    {
        var offsets = group.PendingOffsets.Take(producerId);
        if (commit)
        {
            foreach (var offset in offsets)
            {
                group.Offsets.Set(offset);
            }
        }
    }

    private List<OffsetLogRecord> Snapshot()
    {
        var records = new List<OffsetLogRecord>();
        foreach (var group in _groups.Values)
        {
            if (group.ProtocolType is not null)
            {
                records.Add(new OffsetLogRecord(OffsetLogRecord.GroupType, group.GroupId, group.ProtocolType, group.GenerationId));
            }

            if (group.Offsets.Count > 0)
            {
                records.Add(new OffsetLogRecord(OffsetLogRecord.CommitType, group.GroupId, Offsets: group.Offsets.All.ToList()));
            }

            foreach (var (producerId, offsets) in group.PendingOffsets.All)
            {
                records.Add(new OffsetLogRecord(OffsetLogRecord.TransactionalCommitType, group.GroupId, Offsets: offsets, ProducerId: producerId));
            }
        }

        return records;
    }
}
