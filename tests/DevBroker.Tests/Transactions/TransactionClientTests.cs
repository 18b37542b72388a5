using Confluent.Kafka;
using Confluent.Kafka.Admin;
using InventoryOrleans.DevBroker.Tests.Support;
using static InventoryOrleans.DevBroker.Tests.Transactions.TransactionClients;

namespace InventoryOrleans.DevBroker.Tests.Transactions;

/// <summary>Transactions through Confluent.Kafka's transactional API (librdkafka 2.16) against a running DevBroker:
/// what read_committed and read_uncommitted readers see of committed, aborted and open transactions.</summary>
public sealed class TransactionClientTests : IAsyncLifetime
{
    private const string Topic = "txn";
    private DevBrokerServer? _server;

    private string Bootstrap => (_server ?? throw new InvalidOperationException("not started")).BootstrapServers;

    public async Task InitializeAsync()
    {
        _server = await TestBroker.StartAsync();
        await CreateTopicAsync(Bootstrap, Topic, 2);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task CommitTransaction_RecordsOnTwoPartitions_VisibleToReadCommitted()
    {
        using var producer = Producer(Bootstrap, "commit");
        producer.BeginTransaction();
        await ProduceAsync(producer, Topic, 0, "a", "b");
        await ProduceAsync(producer, Topic, 1, "c");
        producer.CommitTransaction(Deadline);

        Assert.Equal(["a", "b", "c"], ReadAll(Bootstrap, Topic, 2, IsolationLevel.ReadCommitted).Order());
    }

    [Fact]
    public async Task AbortTransaction_InvisibleToReadCommitted_VisibleToReadUncommitted()
    {
        using var producer = Producer(Bootstrap, "abort");
        producer.BeginTransaction();
        await ProduceAsync(producer, Topic, 0, "x1", "x2");
        await ProduceAsync(producer, Topic, 1, "x3");
        producer.AbortTransaction(Deadline);
        producer.BeginTransaction();
        await ProduceAsync(producer, Topic, 0, "y1");
        await ProduceAsync(producer, Topic, 1, "y2");
        producer.CommitTransaction(Deadline);

        Assert.Equal(["y1", "y2"], ReadAll(Bootstrap, Topic, 2, IsolationLevel.ReadCommitted).Order());
        Assert.Equal(["x1", "x2", "x3", "y1", "y2"], ReadAll(Bootstrap, Topic, 2, IsolationLevel.ReadUncommitted).Order());
    }

    [Fact]
    public async Task OpenTransaction_ReadCommittedConsumerStopsAtLastStableOffset_SeesAllOnceCommitted()
    {
        using var transactional = Producer(Bootstrap, "open");
        using var plain = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Bootstrap, EnableIdempotence = true }).Build();
        await plain.ProduceAsync(new TopicPartition(Topic, 0), new Message<string, string> { Key = "k", Value = "before" });
        transactional.BeginTransaction();
        await ProduceAsync(transactional, Topic, 0, "inside");
        await plain.ProduceAsync(new TopicPartition(Topic, 0), new Message<string, string> { Key = "k", Value = "after" });

        using var consumer = Consumer(Bootstrap, "lso-reader", IsolationLevel.ReadCommitted);
        consumer.Assign(new TopicPartitionOffset(Topic, 0, Offset.Beginning));
        Assert.Equal(["before"], ConsumeUntilEnd(consumer));
        Assert.Equal(1, await LatestOffsetAsync(IsolationLevel.ReadCommitted));
        Assert.Equal(3, await LatestOffsetAsync(IsolationLevel.ReadUncommitted));

        transactional.CommitTransaction(Deadline);

        Assert.Equal(["inside", "after"], ConsumeUntilEnd(consumer));
        Assert.Equal(4, await LatestOffsetAsync(IsolationLevel.ReadCommitted)); // the COMMIT marker took offset 3
    }

    /// <summary>Consumes until the partition's end for the consumer's isolation level (its next EOF).</summary>
    private static List<string> ConsumeUntilEnd(IConsumer<string, string> consumer)
    {
        var values = new List<string>();
        var deadline = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.IsPartitionEOF == true)
            {
                return values;
            }

            if (result is not null)
            {
                values.Add(result.Message.Value);
            }
        }

        throw new TimeoutException($"no end of partition within {Deadline}; read so far: {string.Join(",", values)}");
    }

    private async Task<long> LatestOffsetAsync(IsolationLevel isolation)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Bootstrap }).Build();
        var result = await admin.ListOffsetsAsync(
            [new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(Topic, 0), OffsetSpec = OffsetSpec.Latest() }],
            new ListOffsetsOptions { IsolationLevel = isolation });
        return Assert.Single(result.ResultInfos).TopicPartitionOffsetError.Offset.Value;
    }
}
