using Confluent.Kafka;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Produce;

/// <summary>ListOffsets through Confluent.Kafka: watermarks and offsets for times.</summary>
public sealed class ListOffsetsTests
{
    [Fact]
    public async Task QueryWatermarksAndOffsetsForTimes_AnswerFromTheLog()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Cluster.CreateTopic("timed", 1, new Dictionary<string, string?>(), validateOnly: false);
        using (var producer = KafkaClients.IdempotentProducer(broker.BootstrapServers))
        {
            foreach (var (value, time) in new[] { ("a", 1_000L), ("b", 2_000L), ("c", 3_000L) })
            {
                // One batch per record, so offsets by time are exact.
                await producer.ProduceAsync(new TopicPartition("timed", 0), new Message<byte[]?, byte[]> { Value = [(byte)value[0]], Timestamp = new Timestamp(time, TimestampType.CreateTime) });
            }
        }

        using var consumer = KafkaClients.AssignConsumer(broker.BootstrapServers);
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition("timed", 0), TimeSpan.FromSeconds(10));
        var byTime = consumer.OffsetsForTimes([new TopicPartitionTimestamp("timed", 0, new Timestamp(1_500, TimestampType.CreateTime))], TimeSpan.FromSeconds(10));
        var afterAll = consumer.OffsetsForTimes([new TopicPartitionTimestamp("timed", 0, new Timestamp(9_000, TimestampType.CreateTime))], TimeSpan.FromSeconds(10));

        Assert.Equal((0L, 3L), (watermarks.Low.Value, watermarks.High.Value));
        Assert.Equal(1, Assert.Single(byTime).Offset.Value);
        Assert.Equal(Offset.End, Assert.Single(afterAll).Offset);
    }
}
