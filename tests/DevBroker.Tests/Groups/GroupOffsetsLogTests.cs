using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Tests.Groups;

public sealed class GroupOffsetsLogTests : IDisposable
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);
    private readonly string _directory = Directory.CreateTempSubdirectory("devbroker-groups-").FullName;

    [Fact]
    public async Task Start_AfterRestart_RestoresCommittedOffsetsAndGroupMetadata()
    {
        using (var kit = new GroupTestKit(offsetsDirectory: _directory))
        {
            var (a, join) = await kit.JoinNewAsync();
            await join.WaitAsync(Soon);
            await kit.Coordinator.SyncAsync(new SyncGroupCommand("g", 1, a, [])).WaitAsync(Soon);
            kit.Coordinator.CommitOffsets(new OffsetCommitCommand("g", 1, a, [new OffsetCommitEntry("t", 0, 41, -1, "m"), new OffsetCommitEntry("t", 3, 7, -1, null)]));
            kit.Coordinator.CommitOffsets(new OffsetCommitCommand("g", 1, a, [new OffsetCommitEntry("t", 0, 42, -1, "m")]));
            kit.Coordinator.CommitOffsets(new OffsetCommitCommand("gone", -1, "", [new OffsetCommitEntry("t", 0, 1, -1, null)]));
            Assert.Equal([ErrorCode.None], kit.Coordinator.Delete(["gone"]));
        }

        using var restarted = new GroupTestKit(offsetsDirectory: _directory);
        var offsets = restarted.Coordinator.FetchOffsets("g", null);
        Assert.Equal([("t", 0, 42L, "m"), ("t", 3, 7L, null)], offsets.Select(o => (o.Topic, o.Partition, o.Offset, o.Metadata)));
        Assert.Equal([("g", "consumer", "Empty")], restarted.Coordinator.List().Select(g => (g.GroupId, g.ProtocolType, g.State)));

        // The generation carries on, so a member of the old generation can't commit into a new one by accident.
        var (b, join2) = await restarted.JoinNewAsync();
        Assert.Equal(2, (await join2.WaitAsync(Soon)).GenerationId);
        Assert.Equal(b, Assert.Single(restarted.Coordinator.Describe(["g"])[0].Members).MemberId);
    }

    [Fact]
    public void Start_LogEndsInTornRecord_KeepsEveryWholeRecord()
    {
        using (var kit = new GroupTestKit(offsetsDirectory: _directory))
        {
            kit.Coordinator.CommitOffsets(new OffsetCommitCommand("g", -1, "", [new OffsetCommitEntry("t", 0, 10, -1, null)]));
        }

        File.AppendAllText(Path.Combine(_directory, "offsets.jsonl"), "{\"type\":\"commit\",\"group\":\"g\",\"offs");

        using var restarted = new GroupTestKit(offsetsDirectory: _directory);
        Assert.Equal(10, restarted.Coordinator.FetchOffsets("g", [new OffsetFetchTopic("t", [0])])[0].Offset);
        restarted.Coordinator.CommitOffsets(new OffsetCommitCommand("g", -1, "", [new OffsetCommitEntry("t", 0, 11, -1, null)]));
        restarted.Dispose();

        using var again = new GroupTestKit(offsetsDirectory: _directory);
        Assert.Equal(11, again.Coordinator.FetchOffsets("g", [new OffsetFetchTopic("t", [0])])[0].Offset);
    }

    [Fact]
    public void CommitOffsets_ManyCommits_LogIsCompactedToTheLiveState()
    {
        using (var kit = new GroupTestKit(offsetsDirectory: _directory, compactAfterRecords: 20))
        {
            for (var i = 0; i < 500; i++)
            {
                kit.Coordinator.CommitOffsets(new OffsetCommitCommand("g", -1, "", [new OffsetCommitEntry("t", i % 4, i, -1, null)]));
            }

            Assert.InRange(File.ReadLines(Path.Combine(_directory, "offsets.jsonl")).Count(), 1, 25);
        }

        using var restarted = new GroupTestKit(offsetsDirectory: _directory);
        Assert.Equal([496L, 497, 498, 499], restarted.Coordinator.FetchOffsets("g", null).Select(o => o.Offset));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
