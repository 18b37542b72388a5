using System.Text.Json;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.Ingest.Tests.Support;

/// <summary>The records the ingest wrote to its output topics, read back as an outside consumer sees them.</summary>
internal static class OutputRecords
{
    /// <summary>Queues every event on its input topic and waits until all are delivered.</summary>
    public static void ProduceAll(this KafkaTestClient client, IEnumerable<InventoryEvent> events)
    {
        foreach (var e in events)
        {
            client.Produce(KafkaTestClient.TopicOf(e), e);
        }

        client.Flush();
    }

    public static List<OutcomeRecord> Outcomes(this KafkaTestClient client) =>
        client.ReadAll(Topics.Outcomes).Select(OutcomeRecord.From).ToList();

    public static List<AlertRecord> Alerts(this KafkaTestClient client) =>
        client.ReadAll(Topics.Alerts).Select(AlertRecord.From).ToList();

    public static List<NetStockRecord> NetStock(this KafkaTestClient client, string productId) =>
        client.ReadAll(Topics.NetStock).Select(NetStockRecord.From).Where(r => r.ProductId == productId).ToList();
}

/// <summary>One record of <c>inventory.outcomes</c>; <see cref="Json"/> is its value as written.</summary>
internal sealed record OutcomeRecord(string EventId, string Status, string? Reason, long Version, string? Topic, int? Partition, long? Offset, string Json)
{
    public static OutcomeRecord From(ConsumeResult<byte[], byte[]> record)
    {
        var root = JsonDocument.Parse(record.Message.Value).RootElement;
        return new OutcomeRecord(
            root.GetProperty("eventId").GetString()!,
            root.GetProperty("status").GetString()!,
            root.GetProperty("reason").GetString(),
            root.GetProperty("version").GetInt64(),
            root.GetProperty("topic").GetString(),
            root.GetProperty("partition").ValueKind == JsonValueKind.Null ? null : root.GetProperty("partition").GetInt32(),
            root.GetProperty("offset").ValueKind == JsonValueKind.Null ? null : root.GetProperty("offset").GetInt64(),
            System.Text.Encoding.UTF8.GetString(record.Message.Value));
    }
}

/// <summary>One record of <c>inventory.net-stock</c>; <see cref="PublishedAt"/> is the record's timestamp (when the silo produced it).</summary>
internal sealed record NetStockRecord(string ProductId, long OnHand, long Reserved, long Available, long Version, string? LastEventId, DateTimeOffset UpdatedAt, DateTimeOffset PublishedAt, bool LowStock, long LowStockThreshold)
{
    public static NetStockRecord From(ConsumeResult<byte[], byte[]> record)
    {
        var root = JsonDocument.Parse(record.Message.Value).RootElement;
        return new NetStockRecord(
            root.GetProperty("productId").GetString()!,
            root.GetProperty("onHand").GetInt64(),
            root.GetProperty("reserved").GetInt64(),
            root.GetProperty("available").GetInt64(),
            root.GetProperty("version").GetInt64(),
            root.GetProperty("lastEventId").GetString(),
            root.GetProperty("updatedAt").GetDateTimeOffset(),
            new DateTimeOffset(record.Message.Timestamp.UtcDateTime, TimeSpan.Zero),
            root.GetProperty("lowStock").GetBoolean(),
            root.GetProperty("lowStockThreshold").GetInt64());
    }
}

/// <summary>One record of <c>inventory.alerts</c>; <see cref="Json"/> is its value as written.</summary>
internal sealed record AlertRecord(string ProductId, string State, long Available, long Threshold, long Version, DateTimeOffset At, string Json)
{
    public static AlertRecord From(ConsumeResult<byte[], byte[]> record)
    {
        var root = JsonDocument.Parse(record.Message.Value).RootElement;
        return new AlertRecord(
            root.GetProperty("productId").GetString()!,
            root.GetProperty("state").GetString()!,
            root.GetProperty("available").GetInt64(),
            root.GetProperty("threshold").GetInt64(),
            root.GetProperty("version").GetInt64(),
            root.GetProperty("at").GetDateTimeOffset(),
            System.Text.Encoding.UTF8.GetString(record.Message.Value));
    }
}
