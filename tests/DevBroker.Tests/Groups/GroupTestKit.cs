using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.DevBroker.Tests.Groups;

/// <summary>A coordinator on a manual clock, and short ways to drive it the way a consumer client would.</summary>
internal sealed class GroupTestKit : IDisposable
{
    public GroupTestKit(TimeSpan? initialDelay = null, string? offsetsDirectory = null, int compactAfterRecords = 10_000)
    {
        Options = new GroupCoordinatorOptions
        {
            InitialRebalanceDelay = initialDelay ?? TimeSpan.Zero,
            CheckInterval = TimeSpan.FromMilliseconds(100),
            OffsetsDirectory = offsetsDirectory,
            CompactAfterRecords = compactAfterRecords,
        };
        Coordinator = new GroupCoordinator(Options, Clock);
        Coordinator.Start();
    }

    public ManualTimeProvider Clock { get; } = new();

    public GroupCoordinatorOptions Options { get; }

    public GroupCoordinator Coordinator { get; }

    public static GroupProtocol Protocol(string name, params byte[] metadata) => new(name, metadata);

    public static JoinGroupCommand Join(
        string memberId,
        string group = "g",
        IReadOnlyList<GroupProtocol>? protocols = null,
        int sessionMs = 10_000,
        int rebalanceMs = 5_000,
        bool requireKnownMemberId = false,
        string protocolType = "consumer") =>
        new(group, memberId, null, "client", "/127.0.0.1", TimeSpan.FromMilliseconds(sessionMs), TimeSpan.FromMilliseconds(rebalanceMs),
            protocolType, protocols ?? [Protocol("range", 1)], requireKnownMemberId);

    /// <summary>Joins a new member (v4 style: the member-id-required round first) and returns the pending join.</summary>
    public async Task<(string MemberId, Task<JoinGroupResult> Join)> JoinNewAsync(string group = "g", IReadOnlyList<GroupProtocol>? protocols = null, int sessionMs = 10_000, int rebalanceMs = 5_000)
    {
        var first = await Coordinator.JoinAsync(Join("", group, protocols, sessionMs, rebalanceMs, requireKnownMemberId: true));
        Assert.Equal(ErrorCode.MemberIdRequired, first.Error);
        return (first.MemberId, Coordinator.JoinAsync(Join(first.MemberId, group, protocols, sessionMs, rebalanceMs, requireKnownMemberId: true)));
    }

    /// <summary>Moves the clock in check-interval steps so the coordinator's timer runs as it would in real time.</summary>
    public void Advance(TimeSpan by)
    {
        var step = Options.CheckInterval;
        for (var moved = TimeSpan.Zero; moved < by; moved += step)
        {
            Clock.Advance(step);
        }
    }

    public void Dispose() => Coordinator.Dispose();
}
