using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Protocol;

/// <summary>Metadata over a raw socket: topic-list semantics per version and the auto-creation rules.</summary>
public sealed class MetadataTests
{
    [Fact]
    public async Task Metadata_V4ClientDisallowsAutoCreate_UnknownTopicAndNothingCreated()
    {
        await using var broker = await TestBroker.StartAsync();
        using var connection = await RawKafkaConnection.ConnectAsync(broker.Port);

        await connection.SendAsync(ApiKey.Metadata, 4, 1, w =>
        {
            w.WriteArrayLength(1);
            w.WriteString("not-yet");
            w.WriteBoolean(false);
        });
        var (_, body) = (await connection.ReceiveAsync())!.Value;

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, ReadSingleTopicError(body, version: 4));
        Assert.Null(broker.Cluster.Find("not-yet"));
    }

    [Fact]
    public async Task Metadata_V1RequestedTopic_AutoCreatedWithDefaultPartitions()
    {
        await using var broker = await TestBroker.StartAsync(configure: o => o.DefaultPartitions = 3);
        using var connection = await RawKafkaConnection.ConnectAsync(broker.Port);

        await connection.SendAsync(ApiKey.Metadata, 1, 1, w =>
        {
            w.WriteArrayLength(1);
            w.WriteString("fresh");
        });
        var (_, body) = (await connection.ReceiveAsync())!.Value;

        Assert.Equal(ErrorCode.None, ReadSingleTopicError(body, version: 1));
        Assert.Equal(3, broker.Cluster.Find("fresh")!.PartitionCount);
    }

    [Fact]
    public async Task Metadata_AutoCreateDisabled_UnknownTopic()
    {
        await using var broker = await TestBroker.StartAsync(configure: o => o.AutoCreateTopics = false);
        using var connection = await RawKafkaConnection.ConnectAsync(broker.Port);

        await connection.SendAsync(ApiKey.Metadata, 1, 1, w =>
        {
            w.WriteArrayLength(1);
            w.WriteString("fresh");
        });
        var (_, body) = (await connection.ReceiveAsync())!.Value;

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, ReadSingleTopicError(body, version: 1));
    }

    [Theory]
    [InlineData((short)0, 0, 2)] // v0: an empty list means every topic
    [InlineData((short)1, 0, 0)] // v1+: an empty list means none
    [InlineData((short)1, -1, 2)] // v1+: a null list means every topic
    public async Task Metadata_TopicListSemantics_PerVersion(short version, int listLength, int expectedTopics)
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Cluster.CreateTopic("a", 1, new Dictionary<string, string?>(), validateOnly: false);
        broker.Cluster.CreateTopic("b", 1, new Dictionary<string, string?>(), validateOnly: false);
        using var connection = await RawKafkaConnection.ConnectAsync(broker.Port);

        await connection.SendAsync(ApiKey.Metadata, version, 1, w => w.WriteArrayLength(listLength));
        var (_, body) = (await connection.ReceiveAsync())!.Value;

        SkipBrokers(body, version);
        Assert.Equal(expectedTopics, body.ReadInt32());
    }

    private static void SkipBrokers(KafkaReader body, short version)
    {
        if (version >= 3)
        {
            body.ReadInt32(); // throttle
        }

        Assert.Equal(1, body.ReadInt32());
        body.ReadInt32();
        body.ReadString();
        body.ReadInt32();
        if (version >= 1)
        {
            body.ReadNullableString(); // rack
        }

        if (version >= 2)
        {
            body.ReadNullableString(); // cluster id
        }

        if (version >= 1)
        {
            Assert.Equal(0, body.ReadInt32()); // controller = this broker
        }
    }

    private static ErrorCode ReadSingleTopicError(KafkaReader body, short version)
    {
        SkipBrokers(body, version);
        Assert.Equal(1, body.ReadInt32());
        return (ErrorCode)body.ReadInt16();
    }
}
