using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Produce;

/// <summary>An idempotent producer (acks=all) and an assign-mode consumer through Confluent.Kafka.</summary>
public sealed class IdempotentProduceTests
{
    private const int Partitions = 12;

    [Fact]
    public async Task Produce_100kRecordsAcross12Partitions_EveryRecordReadExactlyOnce()
    {
        const int count = 100_000;
        await using var broker = await TestBroker.StartAsync();
        using (var admin = KafkaClients.Admin(broker.BootstrapServers))
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = "bulk", NumPartitions = Partitions, ReplicationFactor = 1 }]);
        }

        using (var producer = KafkaClients.IdempotentProducer(broker.BootstrapServers))
        {
            var failures = 0;
            for (var i = 0; i < count; i++)
            {
                producer.Produce(
                    new TopicPartition("bulk", i % Partitions),
                    new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes($"k{i}"), Value = Encoding.UTF8.GetBytes($"v{i}") },
                    report =>
                    {
                        if (report.Error.IsError)
                        {
                            Interlocked.Increment(ref failures);
                        }
                    });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, failures);
        }

        var topic = broker.Cluster.Find("bulk")!;
        Assert.Equal(count, Enumerable.Range(0, Partitions).Sum(p => topic.Offsets(p).HighWatermark));

        var read = KafkaClients.ReadAll(broker.BootstrapServers, "bulk", Partitions, count, TimeSpan.FromSeconds(30));

        Assert.Equal(count, read.Count);
        Assert.Equal(count, read.Select(r => r.Value).Distinct().Count());
        Assert.Equal(count, read.Select(r => (r.Partition, r.Offset)).Distinct().Count());
        Assert.All(read, r => Assert.Equal(int.Parse(r.Value.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) % Partitions, r.Partition));
    }

    [Fact]
    public async Task Produce_ToAutoCreatedTopic_Delivered()
    {
        await using var broker = await TestBroker.StartAsync(configure: o => o.DefaultPartitions = 2);
        using var producer = KafkaClients.IdempotentProducer(broker.BootstrapServers);

        var result = await producer.ProduceAsync("auto", new Message<byte[]?, byte[]> { Value = "hello"u8.ToArray() });

        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        Assert.Equal(2, broker.Cluster.Find("auto")!.PartitionCount);
    }
}
