using Confluent.Kafka;
using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Storage;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.DevBroker.Transactions;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static InventoryOrleans.DevBroker.Tests.Transactions.TransactionClients;

namespace InventoryOrleans.DevBroker.Tests.Transactions;

/// <summary>
/// Transactions across a broker restart on the same data directory, driven by Confluent.Kafka: a committed one stays
/// committed (records and offsets), an open one stays open (its records held back from read_committed readers, its
/// offsets pending) until a new producer with its id aborts it, and one whose commit was decided but cut short is
/// finished at start. Once with a graceful stop in process, once with kill -9 of the DevBroker executable.
/// </summary>
public sealed class TransactionDurabilityTests : IDisposable
{
    private const string Topic = "durable";
    private const string Input = "in";
    private const string Group = "dg";
    private const int LongTimeoutMs = 300_000; // the open transaction must outlive the test, not time out in it
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Restart_CommittedOpenAndHalfCommittedTransactions_ReadersAndGroupSeeTheDecidedOnes()
    {
        long halfId;
        short halfEpoch;
        IProducer<string, string> committed, open, half;
        await using (var broker = await TestBroker.StartAsync(_data.Path))
        {
            (committed, open) = await CommittedAndOpenTransactionsAsync(broker.BootstrapServers);
            half = Producer(broker.BootstrapServers, "txn-c", LongTimeoutMs);
            half.BeginTransaction();
            await ProduceAsync(half, Topic, 0, "c1");
            await ProduceAsync(half, Topic, 2, "c2");
            var metadata = broker.Services.Get<TransactionCoordinator>().Describe("txn-c")!;
            (halfId, halfEpoch) = (metadata.ProducerId, metadata.ProducerEpoch);
        }

        // As if the broker had died right after deciding to commit C and writing its marker to partition 0.
        var stateDirectory = Path.Combine(_data.Path, TransactionCoordinatorRegistration.StateFolder);
        using (var state = new TransactionStateLog(stateDirectory, fsync: false, NullLogger.Instance))
        {
            state.Rewrite(state.ReadAll().Select(m => m.TransactionalId == "txn-c" ? m with { State = TransactionState.PrepareCommit } : m).ToList());
        }

        using (var partition0 = PartitionLog.Open(Path.Combine(_data.Path, $"{Topic}-0"), 64 * 1024 * 1024, NullLogger.Instance))
        {
            partition0.AppendMarker(ControlRecordType.Commit, halfId, halfEpoch, 0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), fsync: false);
        }

        await using var restarted = await TestBroker.StartAsync(_data.Path);
        var groups = restarted.Services.Get<GroupCoordinator>();

        Assert.Equal(["a1", "a2", "c1", "c2"], ReadAll(restarted.BootstrapServers, Topic, 3, IsolationLevel.ReadCommitted).Order());
        Assert.Equal(["a1", "a2", "b1", "c1", "c2"], ReadAll(restarted.BootstrapServers, Topic, 3, IsolationLevel.ReadUncommitted).Order());
        Assert.Equal(3, groups.FetchOffsets(Group, [new OffsetFetchTopic(Input, [0])])[0].Offset);
        Assert.Equal(DevBroker.Protocol.ErrorCode.UnstableOffsetCommit, groups.FetchOffsets(Group, [new OffsetFetchTopic(Input, [0])], requireStable: true)[0].Error);

        AbortOpenTransactionWithNewInstance(restarted.BootstrapServers);

        Assert.Equal(["a1", "a2", "c1", "c2"], ReadAll(restarted.BootstrapServers, Topic, 3, IsolationLevel.ReadCommitted).Order());
        Assert.Equal(new Offset(3), CommittedOffset(restarted.BootstrapServers));
        foreach (var producer in new[] { committed, open, half })
        {
            producer.Dispose();
        }
    }

    [Fact]
    public async Task KillMinus9_OfTheExecutable_CommittedSurvivesOpenStaysOpenUntilAborted()
    {
        var port = FreePort.Next();
        IProducer<string, string> committed, open;
        await using (var broker = await DevBrokerProcess.StartAsync(port, _data.Path))
        {
            (committed, open) = await CommittedAndOpenTransactionsAsync(broker.BootstrapServers);
            await broker.KillAsync();
        }

        await using var restarted = await DevBrokerProcess.StartAsync(port, _data.Path);

        Assert.Equal(["a1", "a2"], ReadAll(restarted.BootstrapServers, Topic, 3, IsolationLevel.ReadCommitted).Order());
        Assert.Equal(["a1", "a2", "b1"], ReadAll(restarted.BootstrapServers, Topic, 3, IsolationLevel.ReadUncommitted).Order());
        Assert.Equal(new Offset(3), CommittedOffset(restarted.BootstrapServers, IsolationLevel.ReadUncommitted));
        using (var stableReader = Consumer(restarted.BootstrapServers, Group, IsolationLevel.ReadCommitted))
        {
            // B's offsets survived as pending: a read_committed reader (require_stable) gets no answer while B is open.
            var unstable = Assert.ThrowsAny<KafkaException>(() => stableReader.Committed([new TopicPartition(Input, 0)], TimeSpan.FromSeconds(2)));
            Assert.Equal(ErrorCode.Local_TimedOut, unstable.Error.Code);
        }

        AbortOpenTransactionWithNewInstance(restarted.BootstrapServers);

        Assert.Equal(["a1", "a2"], ReadAll(restarted.BootstrapServers, Topic, 3, IsolationLevel.ReadCommitted).Order());
        Assert.Equal(new Offset(3), CommittedOffset(restarted.BootstrapServers));
        committed.Dispose();
        open.Dispose();
    }

    public void Dispose() => _data.Dispose();

    /// <summary>Transaction A (records a1, a2 on partition 0, group offset 3) committed; B (b1 on partition 1, group
    /// offset 6) left open. Returns both producers, still alive.</summary>
    private static async Task<(IProducer<string, string> Committed, IProducer<string, string> Open)> CommittedAndOpenTransactionsAsync(string bootstrap)
    {
        await CreateTopicAsync(bootstrap, Topic, 3);
        await CreateTopicAsync(bootstrap, Input, 1);
        using var consumer = Consumer(bootstrap, Group, IsolationLevel.ReadCommitted);
        consumer.Subscribe(Input);
        await Eventually.TrueAsync(
            () =>
            {
                consumer.Consume(TimeSpan.FromMilliseconds(50));
                return consumer.Assignment.Count == 1;
            },
            Deadline,
            "the consumer joined its group");

        var committed = Producer(bootstrap, "txn-a");
        committed.BeginTransaction();
        await ProduceAsync(committed, Topic, 0, "a1", "a2");
        committed.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 3)], consumer.ConsumerGroupMetadata, Deadline);
        committed.CommitTransaction(Deadline);

        var open = Producer(bootstrap, "txn-b", LongTimeoutMs);
        open.BeginTransaction();
        await ProduceAsync(open, Topic, 1, "b1");
        open.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 6)], consumer.ConsumerGroupMetadata, Deadline);
        consumer.Close();
        return (committed, open);
    }

    /// <summary>A new producer with the open transaction's id: its InitTransactions aborts what the old one left open.</summary>
    private static void AbortOpenTransactionWithNewInstance(string bootstrap)
    {
        using var successor = Producer(bootstrap, "txn-b", LongTimeoutMs);
    }

    private static Offset CommittedOffset(string bootstrap, IsolationLevel isolation = IsolationLevel.ReadCommitted)
    {
        using var reader = Consumer(bootstrap, Group, isolation);
        return Assert.Single(reader.Committed([new TopicPartition(Input, 0)], Deadline)).Offset;
    }
}
