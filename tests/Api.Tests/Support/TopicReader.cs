using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.Api.Tests.Support;

/// <summary>Reads records back from the broker the way an outside consumer does.</summary>
public static class TopicReader
{
    /// <summary>The record at <paramref name="topic"/> / <paramref name="partition"/> / <paramref name="offset"/>: its key and value JSON.</summary>
    public static (string Key, JsonObject Value) ReadAt(string bootstrapServers, string topic, int partition, long offset)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            // Only what committed transactions wrote (aborted attempts of a silo that failed are never seen).
            IsolationLevel = IsolationLevel.ReadCommitted,
            BootstrapServers = bootstrapServers,
            GroupId = "api-tests-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, partition, offset));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } record)
            {
                Assert.Equal(offset, record.Offset.Value);
                return (Encoding.UTF8.GetString(record.Message.Key), JsonNode.Parse(record.Message.Value)!.AsObject());
            }
        }

        throw new TimeoutException($"no record at {topic}/{partition}@{offset} within 60 s");
    }

    /// <summary>Every record of <paramref name="topic"/> keyed <paramref name="productId"/>, as JSON, in offset order.</summary>
    public static List<JsonObject> ValuesOf(KafkaTestClient kafka, string topic, string productId)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        return [.. kafka.ReadAll(topic)
            .Where(r => Encoding.UTF8.GetString(r.Message.Key) == productId)
            .OrderBy(r => r.Offset.Value)
            .Select(r => JsonNode.Parse(r.Message.Value)!.AsObject())];
    }
}
