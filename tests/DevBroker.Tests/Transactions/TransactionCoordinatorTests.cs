using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Storage;
using InventoryOrleans.DevBroker.Transactions;

namespace InventoryOrleans.DevBroker.Tests.Transactions;

/// <summary>The transaction coordinator's rules on a manual clock: epochs and fencing, the transaction's states,
/// what a producer may write where, and the timeout.</summary>
public sealed class TransactionCoordinatorTests : IDisposable
{
    private readonly TransactionTestKit _kit = new();

    private TransactionCoordinator Coordinator => _kit.Coordinator;

    [Fact]
    public void InitProducerId_SameTransactionalIdAgain_SameProducerIdNextEpoch()
    {
        var first = _kit.Init("a");
        var second = _kit.Init("a");
        var other = _kit.Init("b");

        Assert.Equal((first.ProducerId, (short)0), first);
        Assert.Equal((first.ProducerId, (short)1), second);
        Assert.NotEqual(first.ProducerId, other.ProducerId);
        Assert.NotEqual(first.ProducerId, Coordinator.InitProducerId(null, TimeSpan.Zero, -1, -1).ProducerId);
    }

    [Theory]
    [InlineData("", 10_000, ErrorCode.InvalidRequest)]
    [InlineData("a", 0, ErrorCode.InvalidTransactionTimeout)]
    [InlineData("a", 61_000, ErrorCode.InvalidTransactionTimeout)]
    public void InitProducerId_BadIdOrTimeout_Refused(string transactionalId, int timeoutMs, ErrorCode expected)
    {
        var result = Coordinator.InitProducerId(transactionalId, TimeSpan.FromMilliseconds(timeoutMs), -1, -1);

        Assert.Equal(InitProducerIdResult.Failed(expected), result);
    }

    [Fact]
    public void InitProducerId_WhileATransactionIsOpen_AbortsItAndFencesTheOldEpoch()
    {
        var old = _kit.Init("a");
        _kit.AddPartitions("a", old, 0);
        Assert.Equal(ErrorCode.None, _kit.Produce("a", old, 0, 0, "old").Error);

        var current = _kit.Init("a");

        Assert.Equal((short)2, current.Epoch); // one bump for the abort, one for the new producer
        Assert.Equal([new AbortedTransaction(old.ProducerId, 0, 1)], _kit.Log(0).AbortedTransactions);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, _kit.Produce("a", old, 0, 1, "zombie").Error);
        Assert.Equal(ErrorCode.ProducerFenced, Coordinator.EndTransaction("a", old.ProducerId, old.Epoch, commit: true));
        Assert.Equal(ErrorCode.ProducerFenced, Coordinator.AddOffsets("a", old.ProducerId, old.Epoch, "g"));
    }

    [Fact]
    public void InitProducerId_OwnEpochBump_BumpsOnceAndARetryGetsTheSameEpoch_OthersFenced()
    {
        var producer = _kit.Init("a");

        var bumped = Coordinator.InitProducerId("a", TimeSpan.FromSeconds(10), producer.ProducerId, producer.Epoch);
        var retried = Coordinator.InitProducerId("a", TimeSpan.FromSeconds(10), producer.ProducerId, producer.Epoch);
        var zombie = Coordinator.InitProducerId("a", TimeSpan.FromSeconds(10), producer.ProducerId, 7);
        var stranger = Coordinator.InitProducerId("a", TimeSpan.FromSeconds(10), producer.ProducerId + 100, 0);

        Assert.Equal(new InitProducerIdResult(ErrorCode.None, producer.ProducerId, 1), bumped);
        Assert.Equal(bumped, retried);
        Assert.Equal(ErrorCode.ProducerFenced, zombie.Error);
        Assert.Equal(ErrorCode.ProducerFenced, stranger.Error);
    }

    [Fact]
    public void Produce_PartitionNotAddedOrNoTransaction_InvalidTxnState()
    {
        var producer = _kit.Init("a");
        Assert.Equal(ErrorCode.InvalidTxnState, _kit.Produce("a", producer, 0, 0, "no transaction").Error);

        _kit.AddPartitions("a", producer, 0);

        Assert.Equal(ErrorCode.InvalidTxnState, _kit.Produce("a", producer, 1, 0, "not added").Error);
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, _kit.Produce("unknown", producer, 0, 0, "unknown id").Error);
        Assert.Equal(ErrorCode.None, _kit.Produce("a", producer, 0, 0, "added").Error);
    }

    [Fact]
    public void AddPartitions_UnknownPartition_ItsErrorAndOperationNotAttemptedForTheRest()
    {
        var producer = _kit.Init("a");

        var errors = Coordinator.AddPartitions("a", producer.ProducerId, producer.Epoch, [new("t", 0), new("t", 9), new("missing", 0)]);

        Assert.Equal([ErrorCode.OperationNotAttempted, ErrorCode.UnknownTopicOrPartition, ErrorCode.UnknownTopicOrPartition], errors);
        Assert.Equal(TransactionState.Empty, Coordinator.Describe("a")!.State);
    }

    [Fact]
    public void EndTransaction_StatesAndRetries()
    {
        var producer = _kit.Init("a");
        Assert.Equal(ErrorCode.InvalidTxnState, Coordinator.EndTransaction("a", producer.ProducerId, producer.Epoch, commit: true));
        _kit.AddPartitions("a", producer, 0, 1);
        _kit.Produce("a", producer, 0, 0, "v");

        Assert.Equal(ErrorCode.None, Coordinator.EndTransaction("a", producer.ProducerId, producer.Epoch, commit: true));
        Assert.Equal(ErrorCode.None, Coordinator.EndTransaction("a", producer.ProducerId, producer.Epoch, commit: true)); // a retry
        Assert.Equal(ErrorCode.InvalidTxnState, Coordinator.EndTransaction("a", producer.ProducerId, producer.Epoch, commit: false));
        Assert.Equal(ErrorCode.InvalidProducerIdMapping, Coordinator.EndTransaction("a", producer.ProducerId + 1, producer.Epoch, commit: true));

        // Markers on both partitions, also the one the producer wrote nothing to.
        Assert.Equal((2L, 2L), (_kit.Log(0).HighWatermark, _kit.Log(0).LastStableOffset));
        Assert.Equal((1L, 1L), (_kit.Log(1).HighWatermark, _kit.Log(1).LastStableOffset));
        Assert.Equal(TransactionState.CompleteCommit, Coordinator.Describe("a")!.State);
    }

    [Fact]
    public void TxnOffsetCommit_AppliedOnCommitDroppedOnAbort_RefusedWithoutAddOffsets()
    {
        var producer = _kit.Init("a");
        var command = new TxnOffsetCommitCommand("g", producer.ProducerId, -1, "", null, [new OffsetCommitEntry("t", 0, 5, -1, null)]);
        Assert.Equal(ErrorCode.InvalidTxnState, Coordinator.CommitOffsets("a", producer.Epoch, command)[0].Error);

        Assert.Equal(ErrorCode.None, Coordinator.AddOffsets("a", producer.ProducerId, producer.Epoch, "g"));
        Assert.Equal(ErrorCode.None, Coordinator.CommitOffsets("a", producer.Epoch, command)[0].Error);
        Assert.Equal(ErrorCode.UnstableOffsetCommit, StableOffset().Error);
        Assert.Equal(ErrorCode.None, Coordinator.EndTransaction("a", producer.ProducerId, producer.Epoch, commit: false));
        Assert.Equal((-1L, ErrorCode.None), (StableOffset().Committed.Offset, StableOffset().Error));

        Assert.Equal(ErrorCode.None, Coordinator.AddOffsets("a", producer.ProducerId, producer.Epoch, "g"));
        Assert.Equal(ErrorCode.InvalidProducerEpoch, Coordinator.CommitOffsets("a", 9, command)[0].Error);
        Assert.Equal(ErrorCode.None, Coordinator.CommitOffsets("a", producer.Epoch, command)[0].Error);
        Assert.Equal(ErrorCode.None, Coordinator.EndTransaction("a", producer.ProducerId, producer.Epoch, commit: true));
        Assert.Equal(5, StableOffset().Committed.Offset);
    }

    [Fact]
    public void Check_TransactionOpenPastItsTimeout_AbortedWithTheEpochBumped()
    {
        var producer = _kit.Init("a", TimeSpan.FromSeconds(10));
        _kit.AddPartitions("a", producer, 0);
        _kit.Produce("a", producer, 0, 0, "slow");

        _kit.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(TransactionState.Ongoing, Coordinator.Describe("a")!.State);
        _kit.Advance(TimeSpan.FromSeconds(2));

        var metadata = Coordinator.Describe("a")!;
        Assert.Equal((TransactionState.CompleteAbort, (short)1), (metadata.State, metadata.ProducerEpoch));
        Assert.True(_kit.Log(0).IsAborted(producer.ProducerId, 0));
        Assert.Equal(_kit.Log(0).HighWatermark, _kit.Log(0).LastStableOffset);
        Assert.Equal(ErrorCode.ProducerFenced, Coordinator.EndTransaction("a", producer.ProducerId, producer.Epoch, commit: true));
        Assert.Equal((short)2, _kit.Init("a").Epoch); // a new instance carries on
    }

    [Fact]
    public void Check_TransactionKeptBusy_TimeoutCountsFromItsStart()
    {
        var producer = _kit.Init("a", TimeSpan.FromSeconds(10));
        _kit.AddPartitions("a", producer, 0);
        for (var i = 0; i < 11; i++)
        {
            _kit.Advance(TimeSpan.FromSeconds(1));
            _kit.Produce("a", producer, 0, i, $"v{i}");
        }

        Assert.Equal(TransactionState.CompleteAbort, Coordinator.Describe("a")!.State);
    }

    public void Dispose() => _kit.Dispose();

    private FetchedOffset StableOffset() =>
        _kit.Groups.FetchOffsets("g", [new OffsetFetchTopic("t", [0])], requireStable: true)[0];
}
