using System.Buffers.Binary;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Protocol;

/// <summary>Broken and unusual bytes over a raw socket: the sender gets an error code where the protocol has one, else
/// its connection is closed; other clients keep being served and no log changes.</summary>
public sealed class RawSocketTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task ApiVersions_V4_AnswersV0BodyWithUnsupportedVersionAndKeepsConnection()
    {
        await using var broker = await TestBroker.StartAsync();
        using var connection = await RawKafkaConnection.ConnectAsync(broker.Port);

        // A version from the future: neither its header's tagged fields nor its body may be parsed.
        await connection.SendAsync(ApiKey.ApiVersions, 4, 7, w => w.WriteRaw([0x00, 0x05, (byte)'k', (byte)'c', (byte)'a', (byte)'t', 0x02, (byte)'1', 0x00]));
        var (correlationId, body) = (await connection.ReceiveAsync())!.Value;

        Assert.Equal(7, correlationId);
        Assert.Equal(ErrorCode.UnsupportedVersion, (ErrorCode)body.ReadInt16());
        Assert.Equal(1, body.ReadInt32());
        Assert.Equal((ApiKey.ApiVersions, (short)0, (short)3), ((ApiKey)body.ReadInt16(), body.ReadInt16(), body.ReadInt16()));
        Assert.Equal(0, body.Remaining);

        await connection.SendAsync(ApiKey.ApiVersions, 2, 8);
        var retry = (await connection.ReceiveAsync())!.Value;
        Assert.Equal(8, retry.CorrelationId);
        Assert.Equal(ErrorCode.None, (ErrorCode)retry.Body.ReadInt16());
        Assert.True(retry.Body.ReadInt32() >= 9, "every served API is listed");
    }

    [Fact]
    public async Task UnknownApiKey_ClosesThatConnection_OthersServed()
    {
        await using var broker = await TestBroker.StartAsync();
        using var bad = await RawKafkaConnection.ConnectAsync(broker.Port);
        using var good = await RawKafkaConnection.ConnectAsync(broker.Port);

        await bad.SendAsync((ApiKey)77, 0, 1);

        Assert.True(await bad.IsClosedByBrokerAsync(Soon));
        await AssertServedAsync(good);
    }

    [Fact]
    public async Task MalformedBody_ClosesThatConnection_OthersServedAndNoTopicCreated()
    {
        await using var broker = await TestBroker.StartAsync();
        using var bad = await RawKafkaConnection.ConnectAsync(broker.Port);

        // Metadata v1 claiming two topic names but carrying one and a half.
        await bad.SendAsync(ApiKey.Metadata, 1, 1, w =>
        {
            w.WriteArrayLength(2);
            w.WriteString("fine");
            w.WriteInt16(40);
            w.WriteRaw("trunc"u8);
        });

        Assert.True(await bad.IsClosedByBrokerAsync(Soon));
        Assert.Empty(broker.Cluster.Topics);
        using var good = await RawKafkaConnection.ConnectAsync(broker.Port);
        await AssertServedAsync(good);
    }

    [Fact]
    public async Task Produce_MalformedAfterAGoodPartition_ClosesConnectionAndAppendsNothing()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Cluster.CreateTopic("atomic", 2, new Dictionary<string, string?>(), validateOnly: false);
        using var bad = await RawKafkaConnection.ConnectAsync(broker.Port);
        var batch = TestBatches.Build(["kept?"]);

        await bad.SendAsync(ApiKey.Produce, 3, 1, w =>
        {
            w.WriteNullableString(null);
            w.WriteInt16(-1);
            w.WriteInt32(5000);
            w.WriteArrayLength(1);
            w.WriteString("atomic");
            w.WriteArrayLength(2); // two partitions promised, one and a half sent
            w.WriteInt32(0);
            w.WriteBytes(batch);
            w.WriteInt32(1);
            w.WriteInt32(batch.Length);
            w.WriteRaw(batch.AsSpan(0, 10));
        });

        Assert.True(await bad.IsClosedByBrokerAsync(Soon));
        Assert.Equal((0L, 0L), broker.Cluster.Find("atomic")!.Offsets(0));
        using var good = await RawKafkaConnection.ConnectAsync(broker.Port);
        await AssertServedAsync(good);
    }

    [Fact]
    public async Task TruncatedFrame_PeerStopsSending_ConnectionClosedOthersServed()
    {
        await using var broker = await TestBroker.StartAsync();
        using var bad = await RawKafkaConnection.ConnectAsync(broker.Port);
        var frame = RawKafkaConnection.Frame(ApiKey.ApiVersions, 0, 1);

        await bad.SendAsync(frame[..^2]);
        bad.ShutdownSend();

        Assert.True(await bad.IsClosedByBrokerAsync(Soon));
        using var good = await RawKafkaConnection.ConnectAsync(broker.Port);
        await AssertServedAsync(good);
    }

    [Theory]
    [InlineData(2000)]
    [InlineData(-5)]
    [InlineData(3)]
    public async Task FrameSizeOutsideLimits_ClosesThatConnection_OthersServed(int size)
    {
        await using var broker = await TestBroker.StartAsync(configure: o =>
        {
            o.MaxFrameBytes = 1024;
            o.MaxMessageBytes = 1024;
        });
        using var bad = await RawKafkaConnection.ConnectAsync(broker.Port);
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, size);

        await bad.SendAsync(header);

        Assert.True(await bad.IsClosedByBrokerAsync(Soon));
        using var good = await RawKafkaConnection.ConnectAsync(broker.Port);
        await AssertServedAsync(good);
    }

    [Fact]
    public async Task Produce_WrongCrc_AnswersCorruptMessageAndLogUnchanged()
    {
        await using var broker = await TestBroker.StartAsync();
        using var connection = await RawKafkaConnection.ConnectAsync(broker.Port);
        await connection.SendAsync(ApiKey.CreateTopics, 0, 1, RawRequests.CreateTopic("crc", 1));
        Assert.NotNull(await connection.ReceiveAsync());

        var good = TestBatches.Build(["first"]);
        await connection.SendAsync(ApiKey.Produce, 3, 2, RawRequests.Produce("crc", 0, good));
        Assert.Equal((ErrorCode.None, 0L), RawRequests.ReadProduceResponse((await connection.ReceiveAsync())!.Value.Body));

        var corrupt = TestBatches.Build(["second"]);
        corrupt[^3] ^= 0x55; // a record byte: covered by the CRC
        await connection.SendAsync(ApiKey.Produce, 3, 3, RawRequests.Produce("crc", 0, corrupt));
        Assert.Equal(ErrorCode.CorruptMessage, RawRequests.ReadProduceResponse((await connection.ReceiveAsync())!.Value.Body).Error);
        Assert.Equal((0L, 1L), broker.Cluster.Find("crc")!.Offsets(0));

        // The same connection carries on, and the next good batch gets the next offset.
        await connection.SendAsync(ApiKey.Produce, 3, 4, RawRequests.Produce("crc", 0, TestBatches.Build(["third"])));
        Assert.Equal((ErrorCode.None, 1L), RawRequests.ReadProduceResponse((await connection.ReceiveAsync())!.Value.Body));
    }

    [Fact]
    public async Task Produce_LengthLongerThanData_AnswersCorruptMessage()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Cluster.CreateTopic("short", 1, new Dictionary<string, string?>(), validateOnly: false);
        using var connection = await RawKafkaConnection.ConnectAsync(broker.Port);
        var batch = TestBatches.Build(["x"]);
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(8), batch.Length + 100);

        await connection.SendAsync(ApiKey.Produce, 3, 1, RawRequests.Produce("short", 0, batch));

        Assert.Equal(ErrorCode.CorruptMessage, RawRequests.ReadProduceResponse((await connection.ReceiveAsync())!.Value.Body).Error);
        Assert.Equal((0L, 0L), broker.Cluster.Find("short")!.Offsets(0));
    }

    [Fact]
    public async Task Produce_UnknownTopicOrPartition_AnswersErrorAndCreatesNothing()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Cluster.CreateTopic("one", 1, new Dictionary<string, string?>(), validateOnly: false);
        using var connection = await RawKafkaConnection.ConnectAsync(broker.Port);

        await connection.SendAsync(ApiKey.Produce, 3, 1, RawRequests.Produce("missing", 0, TestBatches.Build(["x"])));
        var missingTopic = RawRequests.ReadProduceResponse((await connection.ReceiveAsync())!.Value.Body).Error;
        await connection.SendAsync(ApiKey.Produce, 3, 2, RawRequests.Produce("one", 7, TestBatches.Build(["x"])));
        var missingPartition = RawRequests.ReadProduceResponse((await connection.ReceiveAsync())!.Value.Body).Error;

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, missingTopic);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, missingPartition);
        Assert.Null(broker.Cluster.Find("missing"));
    }

    [Fact]
    public async Task Produce_BatchOverMaxMessageBytes_MessageTooLarge()
    {
        await using var broker = await TestBroker.StartAsync(configure: o => o.MaxMessageBytes = 1024);
        broker.Cluster.CreateTopic("big", 1, new Dictionary<string, string?>(), validateOnly: false);
        using var connection = await RawKafkaConnection.ConnectAsync(broker.Port);

        await connection.SendAsync(ApiKey.Produce, 3, 1, RawRequests.Produce("big", 0, TestBatches.Build([new string('x', 2000)])));

        Assert.Equal(ErrorCode.MessageTooLarge, RawRequests.ReadProduceResponse((await connection.ReceiveAsync())!.Value.Body).Error);
        Assert.Equal((0L, 0L), broker.Cluster.Find("big")!.Offsets(0));
    }

    [Fact]
    public async Task Produce_AcksZero_SendsNoResponseButAppends()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Cluster.CreateTopic("fire", 1, new Dictionary<string, string?>(), validateOnly: false);
        using var connection = await RawKafkaConnection.ConnectAsync(broker.Port);

        await connection.SendAsync(ApiKey.Produce, 3, 1, RawRequests.Produce("fire", 0, TestBatches.Build(["a", "b"]), acks: 0));
        await connection.SendAsync(ApiKey.ApiVersions, 0, 2);

        // The first answer on the connection is the ApiVersions one: the produce got none.
        Assert.Equal(2, (await connection.ReceiveAsync())!.Value.CorrelationId);
        Assert.Equal((0L, 2L), broker.Cluster.Find("fire")!.Offsets(0));
    }

    [Fact]
    public async Task PipelinedRequests_AnsweredInOrder()
    {
        await using var broker = await TestBroker.StartAsync();
        using var connection = await RawKafkaConnection.ConnectAsync(broker.Port);
        var frames = Enumerable.Range(1, 20)
            .SelectMany(i => RawKafkaConnection.Frame(i % 2 == 0 ? ApiKey.ApiVersions : ApiKey.Metadata, 1, i, i % 2 == 0 ? null : w => w.WriteArrayLength(0)))
            .ToArray();

        await connection.SendAsync(frames);

        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal(i, (await connection.ReceiveAsync())!.Value.CorrelationId);
        }
    }

    private static async Task AssertServedAsync(RawKafkaConnection connection)
    {
        await connection.SendAsync(ApiKey.ApiVersions, 0, 42);
        var response = await connection.ReceiveAsync();
        Assert.NotNull(response);
        Assert.Equal(42, response.Value.CorrelationId);
        Assert.Equal(ErrorCode.None, (ErrorCode)response.Value.Body.ReadInt16());
    }
}
