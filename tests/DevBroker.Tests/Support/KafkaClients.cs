using Confluent.Kafka;
using InventoryOrleans.Ingest.Kafka;

namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>Confluent.Kafka clients pointed at a test broker (the native librdkafka is registered first).</summary>
internal static class KafkaClients
{
    public static IAdminClient Admin(string bootstrap)
    {
        return new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
    }

    public static IProducer<byte[]?, byte[]> IdempotentProducer(string bootstrap)
    {
        return new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            BatchNumMessages = 10_000,
        }).Build();
    }

    /// <summary>A consumer without a group, for assign mode.</summary>
    public static IConsumer<byte[]?, byte[]> AssignConsumer(string bootstrap)
    {
        return new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "assign-only", // required by the client; assign mode never joins it
            EnableAutoCommit = false,
            EnablePartitionEof = false,
            FetchWaitMaxMs = 100,
        }).Build();
    }

    /// <summary>Reads from the beginning of every partition until <paramref name="expected"/> records arrived or the
    /// deadline passed; returns (partition, offset, value) of each record read.</summary>
    public static List<(int Partition, long Offset, string Value)> ReadAll(string bootstrap, string topic, int partitions, int expected, TimeSpan timeout)
    {
        using var consumer = AssignConsumer(bootstrap);
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var read = new List<(int, long, string)>(expected);
        var deadline = DateTime.UtcNow + timeout;
        while (read.Count < expected && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is { } message)
            {
                read.Add((result.Partition.Value, result.Offset.Value, System.Text.Encoding.UTF8.GetString(message.Value)));
            }
        }

        consumer.Close();
        return read;
    }
}
