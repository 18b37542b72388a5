using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Tests.Groups;

public sealed class GroupCoordinatorTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task JoinAsync_FirstJoinWithoutMemberIdV4_RequiresMemberIdThenCompletesAsLeader()
    {
        using var kit = new GroupTestKit();

        var first = await kit.Coordinator.JoinAsync(GroupTestKit.Join("", requireKnownMemberId: true));
        Assert.Equal(ErrorCode.MemberIdRequired, first.Error);
        Assert.StartsWith("client-", first.MemberId, StringComparison.Ordinal);

        var joined = await kit.Coordinator.JoinAsync(GroupTestKit.Join(first.MemberId, requireKnownMemberId: true)).WaitAsync(Soon);
        Assert.Equal(ErrorCode.None, joined.Error);
        Assert.Equal(1, joined.GenerationId);
        Assert.Equal("range", joined.ProtocolName);
        Assert.Equal(first.MemberId, joined.LeaderId);
        var member = Assert.Single(joined.Members);
        Assert.Equal([1], member.Metadata);
    }

    [Fact]
    public async Task JoinAsync_UnknownMemberId_IsRejected()
    {
        using var kit = new GroupTestKit();
        var result = await kit.Coordinator.JoinAsync(GroupTestKit.Join("made-up"));
        Assert.Equal(ErrorCode.UnknownMemberId, result.Error);
    }

    [Fact]
    public async Task JoinAsync_TwoMembersWithinInitialDelay_OneGenerationAndOnlyLeaderSeesMembers()
    {
        using var kit = new GroupTestKit(initialDelay: TimeSpan.FromSeconds(1));
        var (a, joinA) = await kit.JoinNewAsync();
        var (b, joinB) = await kit.JoinNewAsync();
        Assert.False(joinA.IsCompleted, "the initial delay holds the first generation back");

        kit.Advance(TimeSpan.FromSeconds(1.2));
        var resultA = await joinA.WaitAsync(Soon);
        var resultB = await joinB.WaitAsync(Soon);

        Assert.Equal(1, resultA.GenerationId);
        Assert.Equal(1, resultB.GenerationId);
        Assert.Equal(a, resultA.LeaderId);
        Assert.Equal(a, resultB.LeaderId);
        Assert.Equal([a, b], resultA.Members.Select(m => m.MemberId));
        Assert.Empty(resultB.Members);
    }

    [Fact]
    public async Task JoinAsync_MembersPreferDifferentProtocols_PicksOneAllSupportAndRefusesAnOutsider()
    {
        using var kit = new GroupTestKit(initialDelay: TimeSpan.FromSeconds(1));
        var (_, joinA) = await kit.JoinNewAsync(protocols: [GroupTestKit.Protocol("cooperative-sticky", 1), GroupTestKit.Protocol("range", 2)]);
        var (_, joinB) = await kit.JoinNewAsync(protocols: [GroupTestKit.Protocol("roundrobin", 3), GroupTestKit.Protocol("range", 4)]);

        var outsider = await kit.Coordinator.JoinAsync(GroupTestKit.Join("", protocols: [GroupTestKit.Protocol("roundrobin", 5)]));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, outsider.Error);

        kit.Advance(TimeSpan.FromSeconds(1.2));
        var leader = await joinA.WaitAsync(Soon);
        Assert.Equal("range", leader.ProtocolName);
        Assert.Equal("range", (await joinB.WaitAsync(Soon)).ProtocolName);
        Assert.Equal([[2], [4]], leader.Members.Select(m => m.Metadata));
    }

    [Fact]
    public async Task JoinAsync_WrongProtocolTypeOrSessionTimeout_IsRejected()
    {
        using var kit = new GroupTestKit();
        await (await kit.JoinNewAsync()).Join.WaitAsync(Soon);

        Assert.Equal(ErrorCode.InconsistentGroupProtocol, (await kit.Coordinator.JoinAsync(GroupTestKit.Join("", protocolType: "connect"))).Error);
        Assert.Equal(ErrorCode.InvalidSessionTimeout, (await kit.Coordinator.JoinAsync(GroupTestKit.Join("", sessionMs: 10))).Error);
        Assert.Equal(ErrorCode.InvalidGroupId, (await kit.Coordinator.JoinAsync(GroupTestKit.Join("", group: ""))).Error);
    }

    [Fact]
    public async Task SyncAsync_FollowerWaitsForLeader_GetsItsAssignmentAndUnassignedGetsEmptyBytes()
    {
        using var kit = new GroupTestKit(initialDelay: TimeSpan.FromSeconds(1));
        var (a, joinA) = await kit.JoinNewAsync();
        var (b, joinB) = await kit.JoinNewAsync();
        var (c, joinC) = await kit.JoinNewAsync();
        kit.Advance(TimeSpan.FromSeconds(1.2));
        await Task.WhenAll(joinA, joinB, joinC).WaitAsync(Soon);

        var followerSync = kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, b, []));
        var idleSync = kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, c, []));
        Assert.False(followerSync.IsCompleted, "a follower waits for the leader's assignment");

        var leaderSync = await kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, a, [new MemberAssignment(a, [7]), new MemberAssignment(b, [8])]));
        Assert.Equal([7], leaderSync.Assignment);
        Assert.Equal([8], (await followerSync.WaitAsync(Soon)).Assignment);
        var idle = await idleSync.WaitAsync(Soon);
        Assert.Equal(ErrorCode.None, idle.Error);
        Assert.Empty(idle.Assignment);

        Assert.Equal(ErrorCode.IllegalGeneration, (await kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 0, b, []))).Error);
        Assert.Equal(ErrorCode.UnknownMemberId, (await kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, "nobody", []))).Error);
        Assert.Equal("Stable", kit.Coordinator.Describe(["g"])[0].State);
    }

    [Fact]
    public async Task Heartbeat_MemberStopsHeartbeating_ExpiresAfterSessionTimeoutAndGroupRebalances()
    {
        using var kit = new GroupTestKit(initialDelay: TimeSpan.FromSeconds(1));
        var (a, joinA) = await kit.JoinNewAsync(sessionMs: 6_000);
        var (b, joinB) = await kit.JoinNewAsync(sessionMs: 6_000);
        kit.Advance(TimeSpan.FromSeconds(1.2));
        await Task.WhenAll(joinA, joinB).WaitAsync(Soon);
        var syncB = kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, b, []));
        await kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, a, [])).WaitAsync(Soon);
        await syncB.WaitAsync(Soon);

        // a heartbeats every second, b is gone without a word (its process died).
        for (var second = 0; second < 5; second++)
        {
            kit.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(ErrorCode.None, kit.Coordinator.Heartbeat("g", 1, a));
        }

        kit.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(ErrorCode.RebalanceInProgress, kit.Coordinator.Heartbeat("g", 1, a));
        Assert.Equal(ErrorCode.UnknownMemberId, kit.Coordinator.Heartbeat("g", 1, b));

        var rejoined = await kit.Coordinator.JoinAsync(GroupTestKit.Join(a, sessionMs: 6_000)).WaitAsync(Soon);
        Assert.Equal(2, rejoined.GenerationId);
        Assert.Equal([a], rejoined.Members.Select(m => m.MemberId));
    }

    [Fact]
    public async Task JoinAsync_MemberDoesNotRejoinWithinRebalanceTimeout_IsRemovedAndOthersProceed()
    {
        using var kit = new GroupTestKit(initialDelay: TimeSpan.FromSeconds(1));
        var (a, joinA) = await kit.JoinNewAsync(sessionMs: 30_000, rebalanceMs: 4_000);
        var (b, joinB) = await kit.JoinNewAsync(sessionMs: 30_000, rebalanceMs: 4_000);
        kit.Advance(TimeSpan.FromSeconds(1.2));
        await Task.WhenAll(joinA, joinB).WaitAsync(Soon);
        var syncB = kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, b, []));
        await kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, a, [])).WaitAsync(Soon);
        await syncB.WaitAsync(Soon);

        // The leader rejoins (as cooperative-sticky does for its second round): that alone starts a rebalance.
        var rejoin = kit.Coordinator.JoinAsync(GroupTestKit.Join(a, sessionMs: 30_000, rebalanceMs: 4_000));
        Assert.Equal("PreparingRebalance", kit.Coordinator.Describe(["g"])[0].State);
        kit.Advance(TimeSpan.FromSeconds(3));
        Assert.False(rejoin.IsCompleted, "the rebalance waits for b up to the rebalance timeout");

        kit.Advance(TimeSpan.FromSeconds(1.2));
        var result = await rejoin.WaitAsync(Soon);
        Assert.Equal(2, result.GenerationId);
        Assert.Equal([a], result.Members.Select(m => m.MemberId));
        Assert.Equal(ErrorCode.UnknownMemberId, kit.Coordinator.Heartbeat("g", 1, b));
    }

    [Fact]
    public async Task JoinAsync_StableFollowerRejoinsUnchanged_GetsCurrentGenerationWithoutRebalance()
    {
        using var kit = new GroupTestKit(initialDelay: TimeSpan.FromSeconds(1));
        var (a, joinA) = await kit.JoinNewAsync();
        var (b, joinB) = await kit.JoinNewAsync();
        kit.Advance(TimeSpan.FromSeconds(1.2));
        await Task.WhenAll(joinA, joinB).WaitAsync(Soon);
        var syncB = kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, b, []));
        await kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, a, [])).WaitAsync(Soon);
        await syncB.WaitAsync(Soon);

        var same = await kit.Coordinator.JoinAsync(GroupTestKit.Join(b)).WaitAsync(Soon);
        Assert.Equal(1, same.GenerationId);
        Assert.Equal("Stable", kit.Coordinator.Describe(["g"])[0].State);

        var changed = kit.Coordinator.JoinAsync(GroupTestKit.Join(b, protocols: [GroupTestKit.Protocol("range", 9)]));
        Assert.Equal(ErrorCode.RebalanceInProgress, kit.Coordinator.Heartbeat("g", 1, a));
        await kit.Coordinator.JoinAsync(GroupTestKit.Join(a)).WaitAsync(Soon);
        Assert.Equal(2, (await changed.WaitAsync(Soon)).GenerationId);
    }

    [Fact]
    public async Task Leave_MembersLeave_GroupRebalancesThenTurnsEmpty()
    {
        using var kit = new GroupTestKit(initialDelay: TimeSpan.FromSeconds(1));
        var (a, joinA) = await kit.JoinNewAsync();
        var (b, joinB) = await kit.JoinNewAsync();
        kit.Advance(TimeSpan.FromSeconds(1.2));
        await Task.WhenAll(joinA, joinB).WaitAsync(Soon);

        Assert.Equal([ErrorCode.None, ErrorCode.UnknownMemberId], kit.Coordinator.Leave("g", [new(a, null), new("nobody", null)]));
        var alone = await kit.Coordinator.JoinAsync(GroupTestKit.Join(b)).WaitAsync(Soon);
        Assert.Equal(2, alone.GenerationId);
        Assert.Equal(b, alone.LeaderId);

        Assert.Equal([ErrorCode.None], kit.Coordinator.Leave("g", [new(b, null)]));
        var description = kit.Coordinator.Describe(["g"])[0];
        Assert.Equal("Empty", description.State);
        Assert.Empty(description.Members);
        Assert.Equal([ErrorCode.UnknownMemberId], kit.Coordinator.Leave("unknown-group", [new(b, null)]));
    }

    [Fact]
    public async Task CommitOffsets_GenerationChecks_SimpleCommitsOnlyWhileGroupHasNoMembers()
    {
        using var kit = new GroupTestKit();
        OffsetCommitEntry Entry(long offset) => new("t", 0, offset, -1, "meta");

        Assert.Equal(ErrorCode.None, kit.Coordinator.CommitOffsets(new OffsetCommitCommand("g", -1, "", [Entry(5)]))[0].Error);
        Assert.Equal(ErrorCode.IllegalGeneration, kit.Coordinator.CommitOffsets(new OffsetCommitCommand("other", 3, "m", [Entry(5)]))[0].Error);

        var (a, join) = await kit.JoinNewAsync();
        await join.WaitAsync(Soon);
        Assert.Equal(ErrorCode.RebalanceInProgress, kit.Coordinator.CommitOffsets(new OffsetCommitCommand("g", 1, a, [Entry(6)]))[0].Error);
        await kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, a, [])).WaitAsync(Soon);

        Assert.Equal(ErrorCode.UnknownMemberId, kit.Coordinator.CommitOffsets(new OffsetCommitCommand("g", -1, "", [Entry(6)]))[0].Error);
        Assert.Equal(ErrorCode.IllegalGeneration, kit.Coordinator.CommitOffsets(new OffsetCommitCommand("g", 7, a, [Entry(6)]))[0].Error);
        Assert.Equal(ErrorCode.None, kit.Coordinator.CommitOffsets(new OffsetCommitCommand("g", 1, a, [Entry(8)]))[0].Error);

        var fetched = kit.Coordinator.FetchOffsets("g", [new OffsetFetchTopic("t", [0, 1])]);
        Assert.Equal([8L, -1L], fetched.Select(o => o.Offset));
        Assert.Equal("meta", fetched[0].Metadata);
        Assert.Equal(-1, Assert.Single(kit.Coordinator.FetchOffsets("nobody", [new OffsetFetchTopic("t", [0])])).Offset);
        Assert.Equal([8L], kit.Coordinator.FetchOffsets("g", null).Select(o => o.Offset));
    }

    [Fact]
    public async Task Delete_GroupWithMembersOrUnknown_IsRefusedAndEmptyGroupGoesWithItsOffsets()
    {
        using var kit = new GroupTestKit();
        kit.Coordinator.CommitOffsets(new OffsetCommitCommand("plain", -1, "", [new OffsetCommitEntry("t", 0, 3, -1, null)]));
        await (await kit.JoinNewAsync(group: "busy")).Join.WaitAsync(Soon);

        Assert.Equal([ErrorCode.NonEmptyGroup, ErrorCode.GroupIdNotFound, ErrorCode.None], kit.Coordinator.Delete(["busy", "nobody", "plain"]));
        Assert.Equal(-1, kit.Coordinator.FetchOffsets("plain", [new OffsetFetchTopic("t", [0])])[0].Offset);
        Assert.Equal(["busy"], kit.Coordinator.List().Select(g => g.GroupId));
    }

    [Fact]
    public async Task Describe_StableGroup_ReportsMetadataAndAssignmentVerbatim()
    {
        using var kit = new GroupTestKit();
        var (a, join) = await kit.JoinNewAsync(protocols: [GroupTestKit.Protocol("roundrobin", 1, 2, 3)]);
        await join.WaitAsync(Soon);
        await kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, a, [new MemberAssignment(a, [4, 5])])).WaitAsync(Soon);

        var group = Assert.Single(kit.Coordinator.Describe(["g"]));
        Assert.Equal(("Stable", "consumer", "roundrobin"), (group.State, group.ProtocolType, group.ProtocolName));
        var member = Assert.Single(group.Members);
        Assert.Equal(("client", "/127.0.0.1"), (member.ClientId, member.ClientHost));
        Assert.Equal([1, 2, 3], member.Metadata);
        Assert.Equal([4, 5], member.Assignment);
        Assert.Equal("Dead", kit.Coordinator.Describe(["nobody"])[0].State);
    }

    [Fact]
    public async Task JoinAsync_StaticMemberRestarts_ReplacesItsPreviousIncarnationWithoutWaitingForIt()
    {
        using var kit = new GroupTestKit();
        JoinGroupCommand Static(string memberId, string instance) =>
            GroupTestKit.Join(memberId, rebalanceMs: 300_000, requireKnownMemberId: true) with { GroupInstanceId = instance };
        var first = await kit.Coordinator.JoinAsync(Static("", "instance-1")).WaitAsync(Soon);
        Assert.Equal(ErrorCode.None, first.Error);
        var (other, joinOther) = await kit.JoinNewAsync(rebalanceMs: 300_000);
        await kit.Coordinator.JoinAsync(Static(first.MemberId, "instance-1")).WaitAsync(Soon);
        await joinOther.WaitAsync(Soon);

        // The process behind instance-1 restarts: a new member id, and the old one is not waited for.
        var restartedJoin = kit.Coordinator.JoinAsync(Static("", "instance-1"));
        await kit.Coordinator.JoinAsync(GroupTestKit.Join(other)).WaitAsync(Soon);
        var restarted = await restartedJoin.WaitAsync(Soon);
        Assert.NotEqual(first.MemberId, restarted.MemberId);
        Assert.Equal(2, kit.Coordinator.Describe(["g"])[0].Members.Count);
        Assert.Equal(ErrorCode.UnknownMemberId, kit.Coordinator.Heartbeat("g", restarted.GenerationId, first.MemberId));

        Assert.Equal([ErrorCode.None], kit.Coordinator.Leave("g", [new("", "instance-1")]));
        Assert.Equal([other], kit.Coordinator.Describe(["g"])[0].Members.Select(m => m.MemberId));
    }

    [Fact]
    public async Task JoinAsync_MemberIdHandedOutButNeverUsed_HoldsRebalanceOnlyUntilItsSessionTimeout()
    {
        using var kit = new GroupTestKit();
        var (a, join) = await kit.JoinNewAsync();
        await join.WaitAsync(Soon);
        await kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, a, [])).WaitAsync(Soon);

        // B got its member id and is about to rejoin with it: the rebalance waits for it, as Kafka's does.
        var pending = await kit.Coordinator.JoinAsync(GroupTestKit.Join("", sessionMs: 3_000, requireKnownMemberId: true));
        Assert.Equal(ErrorCode.MemberIdRequired, pending.Error);
        var leaderRejoin = kit.Coordinator.JoinAsync(GroupTestKit.Join(a));
        kit.Advance(TimeSpan.FromSeconds(2));
        Assert.False(leaderRejoin.IsCompleted, "the rebalance waits for the member that was given an id");

        kit.Advance(TimeSpan.FromSeconds(1.5));
        var result = await leaderRejoin.WaitAsync(Soon);
        Assert.Equal((2, 1), (result.GenerationId, result.Members.Count));
        Assert.Equal(ErrorCode.UnknownMemberId, (await kit.Coordinator.JoinAsync(GroupTestKit.Join(pending.MemberId))).Error);
    }
}
