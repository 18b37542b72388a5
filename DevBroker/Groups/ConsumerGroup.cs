using InventoryOrleans.DevBroker.Protocol;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Groups;

/// <summary>
/// One classic group's state machine (Empty → PreparingRebalance → CompletingRebalance → Stable; Dead when deleted).
/// Not thread-safe: the <see cref="GroupCoordinator"/> calls it under its lock, with the time of the call.
/// </summary>
public sealed class ConsumerGroup
{
    private readonly Dictionary<string, GroupMember> _members = new(StringComparer.Ordinal);

    // Member ids handed out with MEMBER_ID_REQUIRED, until the client rejoins with one (or its session runs out).
    private readonly Dictionary<string, DateTimeOffset> _pendingMemberIds = new(StringComparer.Ordinal);
    private readonly GroupCoordinatorOptions _options;
    private readonly ILogger _logger;
    private readonly Action<ConsumerGroup> _generationCompleted;
    private DateTimeOffset _rebalanceDeadline;
    private DateTimeOffset _joinDelayUntil;
    private bool _initialRebalance;

    public ConsumerGroup(string groupId, GroupCoordinatorOptions options, ILogger logger, Action<ConsumerGroup> generationCompleted)
    {
        GroupId = groupId;
        _options = options;
        _logger = logger;
        _generationCompleted = generationCompleted;
    }

    public string GroupId { get; }

    public GroupState State { get; private set; } = GroupState.Empty;

    public int GenerationId { get; set; }

    /// <summary>"consumer" for Kafka consumers; null until a member joined (a group of plain commits has none).</summary>
    public string? ProtocolType { get; set; }

    public string? ProtocolName { get; private set; }

    public string? LeaderId { get; private set; }

    public IReadOnlyCollection<GroupMember> Members => _members.Values;

    public OffsetTable Offsets { get; } = new();

    /// <summary>Offsets of transactions that have not ended yet, by producer.</summary>
    public PendingOffsetTable PendingOffsets { get; } = new();

    public Task<JoinGroupResult> Join(JoinGroupCommand command, DateTimeOffset now)
    {
        if (command.SessionTimeout < _options.MinSessionTimeout || command.SessionTimeout > _options.MaxSessionTimeout)
        {
            return Task.FromResult(JoinGroupResult.Failed(ErrorCode.InvalidSessionTimeout, command.MemberId));
        }

        _members.TryGetValue(command.MemberId, out var known);
        if (!GroupProtocolSelection.Supports(command, ProtocolType, _members.Values.Where(m => !ReferenceEquals(m, known))))
        {
            return Task.FromResult(JoinGroupResult.Failed(ErrorCode.InconsistentGroupProtocol, command.MemberId));
        }

        if (command.MemberId.Length == 0 && command.GroupInstanceId is { } instanceId)
        {
            // A static member (group.instance.id) starting again takes over from its previous incarnation, which will
            // never rejoin: waiting for it would stall the group for a whole rebalance timeout. Static members skip
            // the member-id round (as in Kafka).
            if (_members.Values.FirstOrDefault(m => m.GroupInstanceId == instanceId) is { } previous)
            {
                RemoveMember(previous.MemberId, $"replaced by a new instance of {instanceId}", now, ErrorCode.FencedInstanceId);
            }

            return AddMemberAndRebalance(NewMemberId(command.ClientId), command, now);
        }

        if (command.MemberId.Length == 0)
        {
            var memberId = NewMemberId(command.ClientId);
            if (command.RequireKnownMemberId)
            {
                _pendingMemberIds[memberId] = now + command.SessionTimeout;
                return Task.FromResult(JoinGroupResult.Failed(ErrorCode.MemberIdRequired, memberId));
            }

            return AddMemberAndRebalance(memberId, command, now);
        }

        if (_pendingMemberIds.Remove(command.MemberId))
        {
            return AddMemberAndRebalance(command.MemberId, command, now);
        }

        if (known is null)
        {
            return Task.FromResult(JoinGroupResult.Failed(ErrorCode.UnknownMemberId, command.MemberId));
        }

        switch (State)
        {
            case GroupState.PreparingRebalance:
                var rejoined = UpdateMemberAndAwaitJoin(known, command, now);
                TryCompleteJoin(now);
                return rejoined;
            case GroupState.CompletingRebalance when known.Matches(command.Protocols):
                known.LastSeen = now;
                return Task.FromResult(JoinResultFor(known));

            // The leader rejoining means it wants a new assignment (cooperative-sticky's second round); changed
            // metadata means a changed subscription. A follower rejoining unchanged just learns the current generation.
            case GroupState.Stable when known.MemberId != LeaderId && known.Matches(command.Protocols):
                known.LastSeen = now;
                return Task.FromResult(JoinResultFor(known));
            default:
                var pending = UpdateMemberAndAwaitJoin(known, command, now);
                PrepareRebalance(now, $"member {known.MemberId} rejoined");
                TryCompleteJoin(now);
                return pending;
        }
    }

    public Task<SyncGroupResult> Sync(SyncGroupCommand command, DateTimeOffset now)
    {
        if (!_members.TryGetValue(command.MemberId, out var member))
        {
            return Task.FromResult(SyncGroupResult.Failed(ErrorCode.UnknownMemberId));
        }

        if (command.GenerationId != GenerationId)
        {
            return Task.FromResult(SyncGroupResult.Failed(ErrorCode.IllegalGeneration));
        }

        member.LastSeen = now;
        switch (State)
        {
            case GroupState.PreparingRebalance:
                return Task.FromResult(SyncGroupResult.Failed(ErrorCode.RebalanceInProgress));
            case GroupState.Stable:
                return Task.FromResult(new SyncGroupResult(ErrorCode.None, member.Assignment));
            case GroupState.CompletingRebalance:
                member.CompleteSync(SyncGroupResult.Failed(ErrorCode.RebalanceInProgress));
                var pending = NewCompletion<SyncGroupResult>();
                member.PendingSync = pending;
                if (member.MemberId == LeaderId)
                {
                    foreach (var assignment in command.Assignments)
                    {
                        if (_members.TryGetValue(assignment.MemberId, out var assigned))
                        {
                            assigned.Assignment = assignment.Assignment;
                        }
                    }

                    State = GroupState.Stable;
                    foreach (var waiting in _members.Values)
                    {
                        waiting.CompleteSync(new SyncGroupResult(ErrorCode.None, waiting.Assignment));
                    }
                }

                return pending.Task;
            default:
                return Task.FromResult(SyncGroupResult.Failed(ErrorCode.UnknownMemberId));
        }
    }

    public ErrorCode Heartbeat(int generationId, string memberId, DateTimeOffset now)
    {
        if (!_members.TryGetValue(memberId, out var member))
        {
            return ErrorCode.UnknownMemberId;
        }

        if (generationId != GenerationId)
        {
            return ErrorCode.IllegalGeneration;
        }

        member.LastSeen = now;
        return State == GroupState.PreparingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
    }

    /// <summary>Removes a member, found by its id or, when that is empty, by its group instance id (static membership).</summary>
    public ErrorCode Leave(string memberId, string? groupInstanceId, DateTimeOffset now)
    {
        if (memberId.Length == 0 && groupInstanceId is not null)
        {
            memberId = _members.Values.FirstOrDefault(m => m.GroupInstanceId == groupInstanceId)?.MemberId ?? "";
        }

        if (_pendingMemberIds.Remove(memberId))
        {
            TryCompleteJoin(now);
            return ErrorCode.None;
        }

        if (!_members.ContainsKey(memberId))
        {
            return ErrorCode.UnknownMemberId;
        }

        RemoveMember(memberId, "left the group", now);
        return ErrorCode.None;
    }

    /// <summary>Checks offsets may be committed by this member in this generation.</summary>
    public ErrorCode CanCommit(int generationId, string memberId, DateTimeOffset now)
    {
        // A consumer outside group management (assign(), kcat -o, tools) commits with generation −1; Kafka allows
        // that only while no members are using the group.
        if (generationId < 0 && _members.Count == 0)
        {
            return ErrorCode.None;
        }

        if (State == GroupState.CompletingRebalance)
        {
            return ErrorCode.RebalanceInProgress;
        }

        if (!_members.TryGetValue(memberId, out var member))
        {
            return ErrorCode.UnknownMemberId;
        }

        if (generationId != GenerationId)
        {
            return ErrorCode.IllegalGeneration;
        }

        // Committing during PreparingRebalance with the old generation is allowed: eager consumers commit on revoke.
        member.LastSeen = now;
        return ErrorCode.None;
    }

    /// <summary>Checks offsets may be committed inside a transaction (KIP-447): a request naming a member, an instance or a
    /// generation is checked like a member's commit, so a producer that consumed in a generation the group has left
    /// behind (a zombie) is refused; one naming none (TxnOffsetCommit before v3) is not checked.</summary>
    public ErrorCode CanCommitTransactional(int generationId, string memberId, string? groupInstanceId)
    {
        if (generationId < 0 && State == GroupState.Empty)
        {
            return ErrorCode.None;
        }

        if (generationId < 0 && memberId.Length == 0 && groupInstanceId is null)
        {
            return ErrorCode.None;
        }

        if (groupInstanceId is not null)
        {
            var current = _members.Values.FirstOrDefault(m => m.GroupInstanceId == groupInstanceId);
            if (current is null)
            {
                return ErrorCode.UnknownMemberId;
            }

            if (current.MemberId != memberId)
            {
                return ErrorCode.FencedInstanceId;
            }
        }

        if (!_members.ContainsKey(memberId))
        {
            return ErrorCode.UnknownMemberId;
        }

        return generationId == GenerationId ? ErrorCode.None : ErrorCode.IllegalGeneration;
    }

    /// <summary>Runs the timers: session expiry, pending member ids, the initial delay and the rebalance timeout.</summary>
    public void Check(DateTimeOffset now)
    {
        foreach (var id in _pendingMemberIds.Where(p => p.Value <= now).Select(p => p.Key).ToList())
        {
            _pendingMemberIds.Remove(id);
        }

        foreach (var expired in _members.Values.Where(m => m.IsExpired(now)).ToList())
        {
            RemoveMember(expired.MemberId, "session timeout", now);
        }

        if (State != GroupState.PreparingRebalance)
        {
            return;
        }

        if (now >= _rebalanceDeadline)
        {
            foreach (var late in _members.Values.Where(m => m.PendingJoin is null).ToList())
            {
                _members.Remove(late.MemberId);
                late.CompleteSync(SyncGroupResult.Failed(ErrorCode.RebalanceInProgress));
                GroupLog.MemberRemoved(_logger, GroupId, late.MemberId, "did not rejoin within the rebalance timeout");
            }

            _pendingMemberIds.Clear();
            CompleteJoin(now);
            return;
        }

        TryCompleteJoin(now);
    }

    public GroupDescription Describe()
    {
        var stable = State == GroupState.Stable && ProtocolName is not null;
        var members = _members.Values
            .Select(m => new MemberDescription(
                m.MemberId,
                m.GroupInstanceId,
                m.ClientId,
                m.ClientHost,
                stable ? m.MetadataFor(ProtocolName!) ?? [] : [],
                stable ? m.Assignment : []))
            .ToList();
        return new GroupDescription(GroupId, ErrorCode.None, State.ToString(), ProtocolType ?? "", stable ? ProtocolName! : "", members);
    }

    /// <summary>Fails every parked request (the broker is stopping or the group is being deleted).</summary>
    public void Abort(ErrorCode error)
    {
        foreach (var member in _members.Values)
        {
            member.CompleteJoin(JoinGroupResult.Failed(error, member.MemberId));
            member.CompleteSync(SyncGroupResult.Failed(error));
        }
    }

    public void MarkDead()
    {
        Abort(ErrorCode.CoordinatorNotAvailable);
        _members.Clear();
        _pendingMemberIds.Clear();
        State = GroupState.Dead;
    }

    private Task<JoinGroupResult> AddMemberAndRebalance(string memberId, JoinGroupCommand command, DateTimeOffset now)
    {
        var member = new GroupMember(memberId);
        _members.Add(memberId, member);
        var pending = UpdateMemberAndAwaitJoin(member, command, now);
        if (State == GroupState.Empty)
        {
            _initialRebalance = true;
            _joinDelayUntil = now + _options.InitialRebalanceDelay;
        }
        else if (State == GroupState.PreparingRebalance && _initialRebalance)
        {
            // Like Kafka's delayed initial rebalance: each newcomer buys the others a little more time, within the timeout.
            var extended = now + _options.InitialRebalanceDelay;
            _joinDelayUntil = extended < _rebalanceDeadline ? extended : _rebalanceDeadline;
        }

        PrepareRebalance(now, $"member {memberId} joined");
        TryCompleteJoin(now);
        return pending;
    }

    private Task<JoinGroupResult> UpdateMemberAndAwaitJoin(GroupMember member, JoinGroupCommand command, DateTimeOffset now)
    {
        member.GroupInstanceId = command.GroupInstanceId;
        member.ClientId = command.ClientId;
        member.ClientHost = command.ClientHost;
        member.SessionTimeout = command.SessionTimeout;
        member.RebalanceTimeout = command.RebalanceTimeout;
        member.Protocols = command.Protocols;
        member.LastSeen = now;

        // A second join from the same member means the client gave up on the first (it reconnected).
        member.CompleteJoin(JoinGroupResult.Failed(ErrorCode.RebalanceInProgress, member.MemberId));
        var pending = NewCompletion<JoinGroupResult>();
        member.PendingJoin = pending;
        if (_members.Count == 1)
        {
            ProtocolType = command.ProtocolType;
        }

        return pending.Task;
    }

    private void PrepareRebalance(DateTimeOffset now, string reason)
    {
        var longest = _members.Values.Select(m => m.RebalanceTimeout).DefaultIfEmpty(TimeSpan.Zero).Max();
        if (State == GroupState.PreparingRebalance)
        {
            var deadline = now + longest;
            _rebalanceDeadline = deadline > _rebalanceDeadline ? deadline : _rebalanceDeadline;
            return;
        }

        foreach (var member in _members.Values)
        {
            member.CompleteSync(SyncGroupResult.Failed(ErrorCode.RebalanceInProgress));
        }

        if (State != GroupState.Empty)
        {
            _initialRebalance = false;
            _joinDelayUntil = now;
        }

        State = GroupState.PreparingRebalance;
        _rebalanceDeadline = now + longest;
        GroupLog.RebalanceStarted(_logger, GroupId, reason);
    }

    private void RemoveMember(string memberId, string reason, DateTimeOffset now, ErrorCode toParkedRequests = ErrorCode.UnknownMemberId)
    {
        if (!_members.Remove(memberId, out var member))
        {
            return;
        }

        member.CompleteJoin(JoinGroupResult.Failed(toParkedRequests, memberId));
        member.CompleteSync(SyncGroupResult.Failed(toParkedRequests));
        GroupLog.MemberRemoved(_logger, GroupId, memberId, reason);
        if (State is GroupState.Stable or GroupState.CompletingRebalance)
        {
            PrepareRebalance(now, $"member {memberId} {reason}");
        }

        TryCompleteJoin(now);
    }

    private void TryCompleteJoin(DateTimeOffset now)
    {
        if (State != GroupState.PreparingRebalance
            || _pendingMemberIds.Count > 0
            || _members.Values.Any(m => m.PendingJoin is null)
            || now < _joinDelayUntil)
        {
            return;
        }

        CompleteJoin(now);
    }

    private void CompleteJoin(DateTimeOffset now)
    {
        _initialRebalance = false;
        GenerationId++;
        if (_members.Count == 0)
        {
            State = GroupState.Empty;
            ProtocolName = null;
            LeaderId = null;
            GroupLog.GenerationCompleted(_logger, GroupId, GenerationId, 0, null, null);
            _generationCompleted(this);
            return;
        }

        ProtocolName = GroupProtocolSelection.Select(GroupId, _members.Values);
        if (LeaderId is null || !_members.ContainsKey(LeaderId))
        {
            LeaderId = _members.Keys.First();
        }

        State = GroupState.CompletingRebalance;
        foreach (var member in _members.Values)
        {
            member.Assignment = [];
            member.LastSeen = now;
            member.CompleteJoin(JoinResultFor(member));
        }

        GroupLog.GenerationCompleted(_logger, GroupId, GenerationId, _members.Count, ProtocolName, LeaderId);
        _generationCompleted(this);
    }

    private JoinGroupResult JoinResultFor(GroupMember member)
    {
        IReadOnlyList<JoinedMember> members = member.MemberId == LeaderId
            ? _members.Values.Select(m => new JoinedMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(ProtocolName!) ?? [])).ToList()
            : [];
        return new JoinGroupResult(ErrorCode.None, GenerationId, ProtocolType, ProtocolName, LeaderId!, member.MemberId, members);
    }

    private static string NewMemberId(string clientId) =>
        $"{(clientId.Length == 0 ? "member" : clientId)}-{Guid.NewGuid():N}";

    private static TaskCompletionSource<T> NewCompletion<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
