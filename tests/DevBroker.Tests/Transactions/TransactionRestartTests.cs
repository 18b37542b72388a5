using Confluent.Kafka;
using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.DevBroker.Transactions;
using InventoryOrleans.TestSupport;
using static InventoryOrleans.DevBroker.Tests.Transactions.TransactionClients;

namespace InventoryOrleans.DevBroker.Tests.Transactions;

/// <summary>
/// Consume-transform-produce through Confluent.Kafka (a read_committed group consumer, a transactional producer with
/// SendOffsetsToTransaction) across a broker stopped and started again on its data directory while a transaction is
/// open: before its offsets were sent, with its group added (AddOffsetsToTxn) but no offsets yet, and with its offsets
/// pending (after TxnOffsetCommit). Whatever was open is aborted — by a new producer of the same transactional id or by
/// the transaction's timeout, counted from its start before the restart — the group's offsets become stable for
/// read_committed readers, the consumer rejoins (the restarted broker has forgotten the group's members) and the
/// pipeline commits again.
/// </summary>
public sealed class TransactionRestartTests : IAsyncLifetime
{
    private const string Input = "in";
    private const string Output = "out";
    private const string Group = "restart-group";
    private const string TransactionalId = "restart-tx";
    private const int LongTimeoutMs = 300_000; // only a new producer or the test's own short timeout ends the transaction
    private readonly TempDirectory _data = new();
    private DevBrokerServer? _server;
    private int _assignments;

    private DevBrokerServer Server => _server ?? throw new InvalidOperationException("not started");

    private string Bootstrap => Server.BootstrapServers;

    public async Task InitializeAsync()
    {
        _server = await TestBroker.StartAsync(_data.Path);
        await CreateTopicAsync(Bootstrap, Input, 2);
        await CreateTopicAsync(Bootstrap, Output, 1);
        using var plain = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Bootstrap }).Build();
        for (var i = 0; i < 10; i++)
        {
            await plain.ProduceAsync(new TopicPartition(Input, i % 2), new Message<string, string> { Key = "k", Value = $"v{i}" });
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _data.Dispose();
    }

    [Fact]
    public async Task Restart_WithTheTransactionsOffsetsPending_NewProducerAbortsItOffsetsStableAndTheGroupCommitsAgain()
    {
        using var consumer = await JoinedConsumerAsync();
        using var before = Producer(Bootstrap, TransactionalId, LongTimeoutMs);
        before.BeginTransaction();
        await ProduceAsync(before, Output, 0, "aborted");
        before.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 3)], consumer.ConsumerGroupMetadata, Deadline);

        await RestartAsync();

        // Restored open: its offsets are pending, so a read_committed reader of the group waits for its end.
        Assert.Equal(TransactionState.Ongoing, Server.Services.Get<TransactionCoordinator>().Describe(TransactionalId)!.State);
        Assert.Equal(DevBroker.Protocol.ErrorCode.UnstableOffsetCommit, PendingCheck().Error);

        using var after = Producer(Bootstrap, TransactionalId, LongTimeoutMs);

        Assert.Equal(Offset.Unset, StableCommitted());
        await ConsumeTransformProduceAsync(consumer, after, "committed");
        Assert.Equal(new Offset(3), StableCommitted());
        Assert.Equal(["committed"], ReadAll(Bootstrap, Output, 1, IsolationLevel.ReadCommitted));
        Assert.True(Assert.ThrowsAny<KafkaException>(() => before.CommitTransaction(Deadline)).Error.IsFatal); // fenced
    }

    [Fact]
    public async Task Restart_WithTheGroupAddedButNoOffsetsSent_NewProducerAbortsItAndTheGroupCommitsAgain()
    {
        using var consumer = await JoinedConsumerAsync();
        using var before = Producer(Bootstrap, TransactionalId, LongTimeoutMs);
        before.BeginTransaction();
        await ProduceAsync(before, Output, 0, "aborted");

        // The producer's AddOffsetsToTxn reached the coordinator, its TxnOffsetCommit never reached the group.
        var coordinator = Server.Services.Get<TransactionCoordinator>();
        var open = coordinator.Describe(TransactionalId)!;
        Assert.Equal(DevBroker.Protocol.ErrorCode.None, coordinator.AddOffsets(TransactionalId, open.ProducerId, open.ProducerEpoch, Group));

        await RestartAsync();

        var restored = Server.Services.Get<TransactionCoordinator>().Describe(TransactionalId)!;
        Assert.Equal(TransactionState.Ongoing, restored.State);
        Assert.Equal([Group], restored.Groups);
        Assert.Equal(DevBroker.Protocol.ErrorCode.None, PendingCheck().Error); // nothing of the group is held back

        using var after = Producer(Bootstrap, TransactionalId, LongTimeoutMs);

        // Aborted with the epoch bumped (fencing the old producer), then initialized with the next one.
        var initialized = Server.Services.Get<TransactionCoordinator>().Describe(TransactionalId)!;
        Assert.Equal((TransactionState.Empty, (short)(open.ProducerEpoch + 2)), (initialized.State, initialized.ProducerEpoch));
        await ConsumeTransformProduceAsync(consumer, after, "committed");
        Assert.Equal(new Offset(3), StableCommitted());
        Assert.Equal(["committed"], ReadAll(Bootstrap, Output, 1, IsolationLevel.ReadCommitted));
    }

    [Fact]
    public async Task Restart_BeforeTheOffsetsWereSent_TheSameProducerSendsThemAndCommitsTheTransaction()
    {
        using var consumer = await JoinedConsumerAsync();
        using var producer = Producer(Bootstrap, TransactionalId, LongTimeoutMs);
        producer.BeginTransaction();
        await ProduceAsync(producer, Output, 0, "before");

        await RestartAsync();

        // The transaction carries on over the restart: AddOffsetsToTxn to the transaction coordinator, FindCoordinator
        // and TxnOffsetCommit to the group's (with the consumer's generation after it rejoined), EndTxn.
        await RejoinedAsync(consumer);
        await ProduceAsync(producer, Output, 0, "after");
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 3)], consumer.ConsumerGroupMetadata, Deadline);
        producer.CommitTransaction(Deadline);

        Assert.Equal(new Offset(3), StableCommitted());
        Assert.Equal(["before", "after"], ReadAll(Bootstrap, Output, 1, IsolationLevel.ReadCommitted));
    }

    /// <summary>
    /// A producer that sent offsets before the restart sends them again after it, within its timeout: AddOffsetsToTxn
    /// (retried after the restart), then TxnOffsetCommit to the group coordinator it had found before. librdkafka 2.16
    /// with its default metadata.recovery.strategy (rebootstrap) does not get that far: when its only broker goes down
    /// it re-bootstraps and decommissions that broker while its cache of group coordinators still names it, and
    /// send_offsets_to_transaction then waits for that broker to come up again for good, past its own timeout
    /// (confluentinc/librdkafka#5511, #5456: coordinator requests check no timeout). Nothing the broker answers
    /// changes that — librdkafka sends no request at all — so this producer does not re-bootstrap.
    /// </summary>
    [Fact]
    public async Task Restart_ProducerThatSentOffsetsBefore_SendsThemAgainWithinItsTimeoutAndCommits()
    {
        using var consumer = await JoinedConsumerAsync();
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = Bootstrap,
            TransactionalId = TransactionalId,
            TransactionTimeoutMs = LongTimeoutMs,
            LingerMs = 5,
            MetadataRecoveryStrategy = MetadataRecoveryStrategy.None,
        }).SetLogHandler((_, _) => { }).Build();
        producer.InitTransactions(Deadline);
        producer.BeginTransaction();
        await ProduceAsync(producer, Output, 0, "first");
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 1)], consumer.ConsumerGroupMetadata, Deadline);
        producer.CommitTransaction(Deadline);
        producer.BeginTransaction();
        await ProduceAsync(producer, Output, 0, "second");

        await RestartAsync();

        await RejoinedAsync(consumer);
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 3)], consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(10));
        producer.CommitTransaction(Deadline);

        Assert.Equal(new Offset(3), StableCommitted());
        Assert.Equal(["first", "second"], ReadAll(Bootstrap, Output, 1, IsolationLevel.ReadCommitted));
    }

    [Fact]
    public async Task Restart_NobodyEndsTheTransaction_TheBrokerAbortsItAtItsTimeoutCountedFromBeforeTheRestart()
    {
        using var consumer = await JoinedConsumerAsync();
        using var before = Producer(Bootstrap, TransactionalId, transactionTimeoutMs: 3_000);
        before.BeginTransaction();
        await ProduceAsync(before, Output, 0, "aborted");
        before.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 3)], consumer.ConsumerGroupMetadata, Deadline);
        var open = Server.Services.Get<TransactionCoordinator>().Describe(TransactionalId)!;

        await RestartAsync();

        // A read_committed reader waits (UNSTABLE_OFFSET_COMMIT) until the broker aborts the transaction on its own.
        Assert.Equal(Offset.Unset, StableCommitted());
        var aborted = Server.Services.Get<TransactionCoordinator>().Describe(TransactionalId)!;
        Assert.Equal((TransactionState.CompleteAbort, (short)(open.ProducerEpoch + 1)), (aborted.State, aborted.ProducerEpoch));
        Assert.Equal(open.StartedAt, aborted.StartedAt);
        Assert.Empty(ReadAll(Bootstrap, Output, 1, IsolationLevel.ReadCommitted));
        Assert.True(Assert.ThrowsAny<KafkaException>(() => before.CommitTransaction(Deadline)).Error.IsFatal); // fenced by the abort's epoch bump

        using var after = Producer(Bootstrap, TransactionalId, LongTimeoutMs);
        await ConsumeTransformProduceAsync(consumer, after, "committed");
        Assert.Equal(new Offset(3), StableCommitted());
    }

    /// <summary>Stops the broker and starts it again on the same port and data directory.</summary>
    private async Task RestartAsync()
    {
        var port = Server.Port;
        await Server.DisposeAsync();
        _server = null;
        _server = await TestBroker.StartAsync(_data.Path, o => o.Port = port);
    }

    /// <summary>A read_committed member of the group subscribed to the input, with both its partitions.</summary>
    private async Task<IConsumer<string, string>> JoinedConsumerAsync()
    {
        var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = Bootstrap,
            GroupId = Group,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 6_000,
            HeartbeatIntervalMs = 500,
            FetchWaitMaxMs = 100,
        })
            .SetLogHandler((_, _) => { })
            .SetPartitionsAssignedHandler((_, _) => Interlocked.Increment(ref _assignments))
            .Build();
        consumer.Subscribe(Input);
        await Eventually.TrueAsync(() => Poll(consumer) && consumer.Assignment.Count == 2, Deadline, "the consumer got both input partitions");
        return consumer;
    }

    /// <summary>Polls until the consumer, whose member the restarted broker no longer knows, has rejoined the group and
    /// has both partitions again.</summary>
    private async Task RejoinedAsync(IConsumer<string, string> consumer)
    {
        var assignments = Volatile.Read(ref _assignments);
        await Eventually.TrueAsync(
            () => Poll(consumer) && Volatile.Read(ref _assignments) > assignments && consumer.Assignment.Count == 2,
            Deadline,
            "the consumer rejoined the group after the restart");
    }

    /// <summary>The pipeline going on after the restart: the rejoined consumer reads input partition 0 again (from the
    /// group's stable offset: it waits while that is pending), and a transaction writes <paramref name="value"/> with
    /// the offset 3 for it.</summary>
    private async Task ConsumeTransformProduceAsync(IConsumer<string, string> consumer, IProducer<string, string> producer, string value)
    {
        await RejoinedAsync(consumer);
        await Eventually.TrueAsync(
            () => consumer.Consume(TimeSpan.FromMilliseconds(50)) is { IsPartitionEOF: false, Partition.Value: 0 },
            Deadline,
            "the consumer reads input partition 0 again");

        producer.BeginTransaction();
        await ProduceAsync(producer, Output, 0, value);
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 3)], consumer.ConsumerGroupMetadata, Deadline);
        producer.CommitTransaction(Deadline);
    }

    /// <summary>The group's offset of input partition 0 as a read_committed consumer gets it (OffsetFetch with
    /// require_stable): librdkafka retries UNSTABLE_OFFSET_COMMIT, so this throws if the offset is not stable in time.</summary>
    private Offset StableCommitted()
    {
        using var reader = Consumer(Bootstrap, Group, IsolationLevel.ReadCommitted);
        return Assert.Single(reader.Committed([new TopicPartition(Input, 0)], TimeSpan.FromSeconds(15))).Offset;
    }

    /// <summary>What the group coordinator answers a require_stable OffsetFetch of input partition 0 right now.</summary>
    private FetchedOffset PendingCheck() =>
        Assert.Single(Server.Services.Get<GroupCoordinator>().FetchOffsets(Group, [new OffsetFetchTopic(Input, [0])], requireStable: true));

    private static bool Poll(IConsumer<string, string> consumer)
    {
        consumer.Consume(TimeSpan.FromMilliseconds(50));
        return true;
    }
}
