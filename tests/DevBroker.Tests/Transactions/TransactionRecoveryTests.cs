using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Storage;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.DevBroker.Transactions;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.DevBroker.Tests.Transactions;

/// <summary>The coordinator restarted on its data directory: producer ids and epochs, open transactions with their
/// partitions and pending offsets, and a commit decided but cut short, which is finished before anything is served.</summary>
public sealed class TransactionRecoveryTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public void Start_AfterRestart_CommittedStaysOpenTransactionCarriesOn()
    {
        (long ProducerId, short Epoch) a, b;
        using (var kit = new TransactionTestKit(_data.Path))
        {
            a = kit.Init("a");
            kit.AddPartitions("a", a, 0);
            kit.Produce("a", a, 0, 0, "a0"); // 0
            CommitOffset(kit, "a", a, 5);
            Assert.Equal(ErrorCode.None, kit.Coordinator.EndTransaction("a", a.ProducerId, a.Epoch, commit: true)); // marker 1
            b = kit.Init("b");
            kit.AddPartitions("b", b, 0);
            kit.Produce("b", b, 0, 0, "b0"); // 2
            CommitOffset(kit, "b", b, 9);
        }

        using var restarted = new TransactionTestKit(_data.Path);

        var open = restarted.Coordinator.Describe("b")!;
        Assert.Equal((TransactionState.Ongoing, b.Epoch), (open.State, open.ProducerEpoch));
        Assert.Equal([new TransactionPartition("t", 0)], open.Partitions);
        Assert.Equal(["g"], open.Groups);
        Assert.Equal(2, restarted.Log(0).LastStableOffset);
        Assert.Equal(ErrorCode.UnstableOffsetCommit, Offset(restarted, requireStable: true).Error);
        Assert.Equal(5, Offset(restarted, requireStable: false).Committed.Offset);
        Assert.DoesNotContain(restarted.Init("c").ProducerId, new[] { a.ProducerId, b.ProducerId });

        // The producer of the open transaction goes on where it was: next sequence, same epoch, then commits.
        Assert.Equal(ErrorCode.None, restarted.Produce("b", b, 0, 1, "b1").Error);
        Assert.Equal(ErrorCode.None, restarted.Coordinator.EndTransaction("b", b.ProducerId, b.Epoch, commit: true));
        Assert.Equal(restarted.Log(0).HighWatermark, restarted.Log(0).LastStableOffset);
        Assert.Equal((9L, ErrorCode.None), (Offset(restarted, requireStable: true).Committed.Offset, Offset(restarted, requireStable: true).Error));
    }

    [Fact]
    public void Start_CommitDecidedButOnlyOneMarkerWritten_FinishesItWithoutASecondMarker()
    {
        (long ProducerId, short Epoch) b;
        using (var kit = new TransactionTestKit(_data.Path))
        {
            b = kit.Init("b");
            kit.AddPartitions("b", b, 0, 1);
            kit.Produce("b", b, 0, 0, "p0");
            kit.Produce("b", b, 1, 1, "p1");
            CommitOffset(kit, "b", b, 9);
        }

        // The broker died right after storing the commit decision and writing the marker of partition 0.
        var state = new TransactionStateLog(Path.Combine(_data.Path, TransactionCoordinatorRegistration.StateFolder), fsync: false, NullLogger.Instance);
        using (state)
        {
            state.Rewrite(state.ReadAll().Select(m => m.TransactionalId == "b" ? m with { State = TransactionState.PrepareCommit } : m).ToList());
        }

        using (var partition0 = PartitionLog.Open(Path.Combine(_data.Path, "t-0"), 1024 * 1024, NullLogger.Instance))
        {
            partition0.AppendMarker(ControlRecordType.Commit, b.ProducerId, b.Epoch, 0, 1, fsync: false);
        }

        using var restarted = new TransactionTestKit(_data.Path);

        Assert.Equal(TransactionState.CompleteCommit, restarted.Coordinator.Describe("b")!.State);
        Assert.Equal((2L, 2L), (restarted.Log(0).HighWatermark, restarted.Log(0).LastStableOffset)); // one marker only
        Assert.Equal((2L, 2L), (restarted.Log(1).HighWatermark, restarted.Log(1).LastStableOffset));
        Assert.Empty(restarted.Log(0).AbortedTransactions);
        Assert.Equal((9L, ErrorCode.None), (Offset(restarted, requireStable: true).Committed.Offset, Offset(restarted, requireStable: true).Error));
    }

    [Fact]
    public void Start_StateLogEndsInATornLine_KeepsEveryWholeRecord()
    {
        (long ProducerId, short Epoch) a;
        using (var kit = new TransactionTestKit(_data.Path))
        {
            a = kit.Init("a");
            kit.Init("a");
        }

        File.AppendAllText(Path.Combine(_data.Path, TransactionCoordinatorRegistration.StateFolder, "transactions.jsonl"), "{\"transactionalId\":\"a\",\"produc");

        using var restarted = new TransactionTestKit(_data.Path);
        Assert.Equal((a.ProducerId, (short)2), restarted.Init("a"));
    }

    public void Dispose() => _data.Dispose();

    private static void CommitOffset(TransactionTestKit kit, string transactionalId, (long ProducerId, short Epoch) producer, long offset)
    {
        Assert.Equal(ErrorCode.None, kit.Coordinator.AddOffsets(transactionalId, producer.ProducerId, producer.Epoch, "g"));
        var command = new TxnOffsetCommitCommand("g", producer.ProducerId, -1, "", null, [new OffsetCommitEntry("t", 0, offset, -1, null)]);
        Assert.Equal(ErrorCode.None, Assert.Single(kit.Coordinator.CommitOffsets(transactionalId, producer.Epoch, command)).Error);
    }

    private static FetchedOffset Offset(TransactionTestKit kit, bool requireStable) =>
        Assert.Single(kit.Groups.FetchOffsets("g", [new OffsetFetchTopic("t", [0])], requireStable));
}
