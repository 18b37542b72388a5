using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>Request bodies for raw-socket tests.</summary>
internal static class RawRequests
{
    /// <summary>Produce v3 body: one topic, one partition, the given records bytes.</summary>
    public static Action<KafkaWriter> Produce(string topic, int partition, byte[] records, short acks = -1, string? transactionalId = null) => w =>
    {
        w.WriteNullableString(transactionalId);
        w.WriteInt16(acks);
        w.WriteInt32(5000);
        w.WriteArrayLength(1);
        w.WriteString(topic);
        w.WriteArrayLength(1);
        w.WriteInt32(partition);
        w.WriteBytes(records);
    };

    /// <summary>Reads a Produce v3 response for one partition: (error, base offset).</summary>
    public static (ErrorCode Error, long BaseOffset) ReadProduceResponse(KafkaReader body)
    {
        Assert.Equal(1, body.ReadInt32());
        body.ReadString();
        Assert.Equal(1, body.ReadInt32());
        body.ReadInt32(); // partition
        var error = (ErrorCode)body.ReadInt16();
        var baseOffset = body.ReadInt64();
        return (error, baseOffset);
    }

    /// <summary>Fetch v4 body: one topic, one partition, from <paramref name="offset"/>, min bytes 1 (as librdkafka sends);
    /// isolation level 1 is read_committed.</summary>
    public static Action<KafkaWriter> Fetch(string topic, int partition, long offset, int maxWaitMs, int maxBytes = 1024 * 1024, sbyte isolationLevel = 0) => w =>
    {
        w.WriteInt32(-1); // replica id
        w.WriteInt32(maxWaitMs);
        w.WriteInt32(1); // min bytes
        w.WriteInt32(maxBytes);
        w.WriteInt8(isolationLevel);
        w.WriteArrayLength(1);
        w.WriteString(topic);
        w.WriteArrayLength(1);
        w.WriteInt32(partition);
        w.WriteInt64(offset);
        w.WriteInt32(maxBytes);
    };

    /// <summary>CreateTopics v0 body for one topic.</summary>
    public static Action<KafkaWriter> CreateTopic(string topic, int partitions) => w =>
    {
        w.WriteArrayLength(1);
        w.WriteString(topic);
        w.WriteInt32(partitions);
        w.WriteInt16(1);
        w.WriteArrayLength(0);
        w.WriteArrayLength(0);
        w.WriteInt32(5000);
    };
}
