using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace InventoryOrleans.DevBroker.Tests.Transactions;

/// <summary>Confluent.Kafka clients for transaction tests: transactional producers, consumers of either isolation level,
/// and reads of what a reader of a given level can see.</summary>
internal static class TransactionClients
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task CreateTopicAsync(string bootstrap, string topic, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    /// <summary>A transactional producer, initialized (InitTransactions done).</summary>
    public static IProducer<string, string> Producer(string bootstrap, string transactionalId, int transactionTimeoutMs = 30_000)
    {
        var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            TransactionalId = transactionalId,
            TransactionTimeoutMs = transactionTimeoutMs,
            LingerMs = 5,
        }).SetLogHandler((_, _) => { }).Build();
        producer.InitTransactions(Deadline);
        return producer;
    }

    /// <summary>Produces the values to the partition and waits for each to be acknowledged.</summary>
    public static async Task ProduceAsync(IProducer<string, string> producer, string topic, int partition, params string[] values)
    {
        foreach (var value in values)
        {
            await producer.ProduceAsync(new TopicPartition(topic, partition), new Message<string, string> { Key = value, Value = value });
        }
    }

    public static IConsumer<string, string> Consumer(string bootstrap, string groupId, IsolationLevel isolation, Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = groupId,
            IsolationLevel = isolation,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 100,
            SessionTimeoutMs = 6_000,
        };
        configure?.Invoke(config);
        return new ConsumerBuilder<string, string>(config).SetLogHandler((_, _) => { }).Build();
    }

    /// <summary>Everything a reader of the given isolation level sees in the topic now: reads every partition from the
    /// start until its end (librdkafka's end for read_committed is the last stable offset).</summary>
    public static List<string> ReadAll(string bootstrap, string topic, int partitions, IsolationLevel isolation)
    {
        using var consumer = Consumer(bootstrap, "read-all", isolation);
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var values = new List<string>();
        var ended = new HashSet<int>();
        var deadline = DateTime.UtcNow + Deadline;
        while (ended.Count < partitions)
        {
            Assert.True(DateTime.UtcNow < deadline, $"reading {topic} to its end took longer than {Deadline}");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                ended.Add(result.Partition.Value);
            }
            else
            {
                values.Add(result.Message.Value);
            }
        }

        consumer.Close();
        return values;
    }
}
