using Confluent.Kafka;
using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.TestSupport;
using static InventoryOrleans.DevBroker.Tests.Transactions.TransactionClients;

namespace InventoryOrleans.DevBroker.Tests.Transactions;

/// <summary>SendOffsetsToTransaction with real consumers' group metadata (KIP-447): offsets committed with the
/// transaction only, held back from read_committed readers of the group while it is open, and refused when the
/// consumer is a zombie the group has moved past.</summary>
public sealed class TransactionOffsetsTests : IAsyncLifetime
{
    private const string Input = "in";
    private DevBrokerServer? _server;

    private string Bootstrap => (_server ?? throw new InvalidOperationException("not started")).BootstrapServers;

    public async Task InitializeAsync()
    {
        _server = await TestBroker.StartAsync();
        await CreateTopicAsync(Bootstrap, Input, 2);
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
    }

    [Fact]
    public async Task SendOffsetsToTransaction_AbortedThenCommitted_GroupHasOnlyTheCommittedOffsets()
    {
        using var consumer = await JoinedConsumerAsync("g-commit", 2);
        using var producer = Producer(Bootstrap, "offsets");

        producer.BeginTransaction();
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 3)], consumer.ConsumerGroupMetadata, Deadline);
        producer.AbortTransaction(Deadline);
        Assert.Equal(Offset.Unset, Committed(consumer, 0));

        producer.BeginTransaction();
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 4), new TopicPartitionOffset(Input, 1, 2)], consumer.ConsumerGroupMetadata, Deadline);
        producer.CommitTransaction(Deadline);

        Assert.Equal(new Offset(4), Committed(consumer, 0));
        Assert.Equal(new Offset(2), Committed(consumer, 1));
    }

    [Fact]
    public async Task Committed_WhileTheTransactionHoldsOffsets_WaitsUntilItCommits()
    {
        using var consumer = await JoinedConsumerAsync("g-stable", 2);
        using var producer = Producer(Bootstrap, "stable");
        producer.BeginTransaction();
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 1, 5)], consumer.ConsumerGroupMetadata, Deadline);

        // Another client of the group asks (read_committed: OffsetFetch with require_stable) while the offsets are pending.
        using var newOwner = Consumer(Bootstrap, "g-stable", IsolationLevel.ReadCommitted);
        var committed = Task.Run(() => newOwner.Committed([new TopicPartition(Input, 1)], Deadline));
        var finished = await Task.WhenAny(committed, Task.Delay(TimeSpan.FromSeconds(2)));
        Assert.NotSame(committed, finished); // still retrying UNSTABLE_OFFSET_COMMIT
        var pending = _server!.Services.Get<GroupCoordinator>().FetchOffsets("g-stable", [new OffsetFetchTopic(Input, [1])], requireStable: true);
        Assert.Equal(DevBroker.Protocol.ErrorCode.UnstableOffsetCommit, Assert.Single(pending).Error);

        producer.CommitTransaction(Deadline);

        Assert.Equal(new Offset(5), Assert.Single(await committed.WaitAsync(Deadline)).Offset);
    }

    [Fact]
    public async Task SendOffsetsToTransaction_GroupMetadataOfAnOlderGeneration_RefusedWithIllegalGenerationAndMustAbort()
    {
        using var zombie = await JoinedConsumerAsync("g-zombie", 2);
        var before = zombie.ConsumerGroupMetadata;
        using var newcomer = Consumer(Bootstrap, "g-zombie", IsolationLevel.ReadCommitted);
        newcomer.Subscribe(Input);
        await Eventually.TrueAsync(
            () => Poll(zombie, newcomer) && zombie.Assignment.Count == 1 && newcomer.Assignment.Count == 1,
            Deadline,
            "the newcomer joined and the group rebalanced into a new generation");
        using var producer = Producer(Bootstrap, "zombie");

        producer.BeginTransaction();
        var refused = Assert.Throws<KafkaTxnRequiresAbortException>(
            () => producer.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 7)], before, Deadline));
        producer.AbortTransaction(Deadline);

        Assert.Equal(ErrorCode.IllegalGeneration, refused.Error.Code);
        Assert.Equal(Offset.Unset, Committed(newcomer, 0));

        // The same consumer with its current metadata is no zombie.
        producer.BeginTransaction();
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 7)], zombie.ConsumerGroupMetadata, Deadline);
        producer.CommitTransaction(Deadline);
        Assert.Equal(new Offset(7), Committed(newcomer, 0));
    }

    [Fact]
    public async Task SendOffsetsToTransaction_StaticMemberReplacedByANewInstance_RefusedWithFencedInstanceId()
    {
        using var replaced = await JoinedConsumerAsync("g-static", 2, c => c.GroupInstanceId = "instance-1");
        var metadata = replaced.ConsumerGroupMetadata;
        using var replacement = await JoinedConsumerAsync("g-static", 2, c => c.GroupInstanceId = "instance-1");
        using var producer = Producer(Bootstrap, "static");

        producer.BeginTransaction();
        var refused = Assert.Throws<KafkaTxnRequiresAbortException>(
            () => producer.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 2)], metadata, Deadline));
        producer.AbortTransaction(Deadline);

        Assert.Equal(ErrorCode.FencedInstanceId, refused.Error.Code);
        Assert.Equal(Offset.Unset, Committed(replacement, 0));
    }

    [Fact]
    public async Task SendOffsetsToTransaction_ConsumerThatLeftTheGroup_RefusedWithUnknownMemberId()
    {
        using var left = await JoinedConsumerAsync("g-left", 2);
        var metadata = left.ConsumerGroupMetadata;
        left.Close();
        using var producer = Producer(Bootstrap, "left");

        producer.BeginTransaction();
        var refused = Assert.Throws<KafkaTxnRequiresAbortException>(
            () => producer.SendOffsetsToTransaction([new TopicPartitionOffset(Input, 0, 2)], metadata, Deadline));
        producer.AbortTransaction(Deadline);

        Assert.Equal(ErrorCode.UnknownMemberId, refused.Error.Code);
    }

    private static bool Poll(params IConsumer<string, string>[] consumers)
    {
        foreach (var consumer in consumers)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(50));
        }

        return true;
    }

    private static Offset Committed(IConsumer<string, string> consumer, int partition) =>
        Assert.Single(consumer.Committed([new TopicPartition(Input, partition)], Deadline)).Offset;

    /// <summary>A read_committed consumer subscribed to the input that has its assignment (a member of the group's current generation).</summary>
    private async Task<IConsumer<string, string>> JoinedConsumerAsync(string groupId, int expectedPartitions, Action<ConsumerConfig>? configure = null)
    {
        var consumer = Consumer(Bootstrap, groupId, IsolationLevel.ReadCommitted, configure);
        consumer.Subscribe(Input);
        await Eventually.TrueAsync(() => Poll(consumer) && consumer.Assignment.Count == expectedPartitions, Deadline, $"a member of {groupId} got its partitions");
        return consumer;
    }
}
