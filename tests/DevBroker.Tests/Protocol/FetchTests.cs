using System.Diagnostics;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Protocol;

/// <summary>Fetch over a raw socket: long polling (an append wakes a waiting fetch; without data it answers at
/// MaxWaitMs), errors, and byte limits.</summary>
public sealed class FetchTests
{
    [Fact]
    public async Task Fetch_WaitingForData_AnsweredWhenAnotherClientProduces()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Cluster.CreateTopic("poll", 2, new Dictionary<string, string?>(), validateOnly: false);
        using var consumer = await RawKafkaConnection.ConnectAsync(broker.Port);
        using var producer = await RawKafkaConnection.ConnectAsync(broker.Port);
        var clock = Stopwatch.StartNew();

        await consumer.SendAsync(ApiKey.Fetch, 4, 1, FetchBody("poll", 1, offset: 0, maxWaitMs: 20_000));
        var pending = consumer.ReceiveAsync(TimeSpan.FromSeconds(30));
        await producer.SendAsync(ApiKey.Produce, 3, 1, RawRequests.Produce("poll", 1, TestBatches.Build(["wake", "up"])));
        Assert.Equal(ErrorCode.None, RawRequests.ReadProduceResponse((await producer.ReceiveAsync())!.Value.Body).Error);

        var (correlationId, body) = (await pending)!.Value;
        Assert.Equal(1, correlationId);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the produce woke the fetch long before its max wait");
        var (error, highWatermark, records) = ReadSinglePartition(body);
        Assert.Equal(ErrorCode.None, error);
        Assert.Equal(2, highWatermark);
        Assert.Equal(2, RecordBatchHeader.Read(records.Span).RecordCount);
    }

    [Fact]
    public async Task Fetch_AtLogEndOfSeveralPartitions_AnsweredSoonAfterAProduceToAnyOfThem()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Cluster.CreateTopic("tail", 2, new Dictionary<string, string?>(), validateOnly: false);
        using var consumer = await RawKafkaConnection.ConnectAsync(broker.Port);
        using var producer = await RawKafkaConnection.ConnectAsync(broker.Port);
        foreach (var partition in new[] { 0, 1 })
        {
            await producer.SendAsync(ApiKey.Produce, 3, 1, RawRequests.Produce("tail", partition, TestBatches.Build(["old", "older"])));
            Assert.Equal(ErrorCode.None, RawRequests.ReadProduceResponse((await producer.ReceiveAsync())!.Value.Body).Error);
        }

        // Both partitions at their log end (offset 2), min bytes 1, as librdkafka polls; 5 s is far above the bound below.
        await consumer.SendAsync(ApiKey.Fetch, 4, 7, FetchBody("tail", [0, 1], offset: 2, maxWaitMs: 5_000, maxBytes: 1024 * 1024, partitionMaxBytes: 1024 * 1024));
        var pending = consumer.ReceiveAsync(TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        await producer.SendAsync(ApiKey.Produce, 3, 2, RawRequests.Produce("tail", 1, TestBatches.Build(["new"])));
        Assert.Equal(ErrorCode.None, RawRequests.ReadProduceResponse((await producer.ReceiveAsync())!.Value.Body).Error);

        var (correlationId, body) = (await pending)!.Value;
        Assert.Equal(7, correlationId);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"answered {clock.Elapsed.TotalMilliseconds:0} ms after the produce (max wait 5000 ms)");

        // The answer carries the new record, so it was not an empty answer sent before the produce.
        body.ReadInt32(); // throttle
        Assert.Equal(1, body.ReadInt32());
        body.ReadString();
        Assert.Equal(2, body.ReadInt32());
        var counts = new List<int>();
        for (var p = 0; p < 2; p++)
        {
            body.ReadInt32();
            Assert.Equal(ErrorCode.None, (ErrorCode)body.ReadInt16());
            body.ReadInt64();
            body.ReadInt64();
            body.ReadArrayLength();
            var records = body.ReadNullableBytes() ?? ReadOnlyMemory<byte>.Empty;
            counts.Add(records.Length == 0 ? 0 : RecordBatchHeader.Read(records.Span).RecordCount);
        }

        Assert.Equal([0, 1], counts);
    }

    [Fact]
    public async Task Fetch_NoData_AnsweredEmptyAfterMaxWait()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Cluster.CreateTopic("quiet", 1, new Dictionary<string, string?>(), validateOnly: false);
        using var consumer = await RawKafkaConnection.ConnectAsync(broker.Port);
        var clock = Stopwatch.StartNew();

        await consumer.SendAsync(ApiKey.Fetch, 4, 1, FetchBody("quiet", 0, offset: 0, maxWaitMs: 300));
        var (_, body) = (await consumer.ReceiveAsync())!.Value;

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"answered after {clock.Elapsed.TotalMilliseconds} ms");
        var (error, highWatermark, records) = ReadSinglePartition(body);
        Assert.Equal((ErrorCode.None, 0L, 0), (error, highWatermark, records.Length));
    }

    [Fact]
    public async Task Fetch_OffsetPastEnd_OffsetOutOfRangeAtOnce()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Cluster.CreateTopic("range", 1, new Dictionary<string, string?>(), validateOnly: false);
        using var consumer = await RawKafkaConnection.ConnectAsync(broker.Port);

        await consumer.SendAsync(ApiKey.Fetch, 4, 1, FetchBody("range", 0, offset: 5, maxWaitMs: 20_000));
        var (_, body) = (await consumer.ReceiveAsync(TimeSpan.FromSeconds(5)))!.Value;

        Assert.Equal(ErrorCode.OffsetOutOfRange, ReadSinglePartition(body).Error);
    }

    [Fact]
    public async Task Fetch_UnknownTopic_UnknownTopicOrPartition()
    {
        await using var broker = await TestBroker.StartAsync();
        using var consumer = await RawKafkaConnection.ConnectAsync(broker.Port);

        await consumer.SendAsync(ApiKey.Fetch, 4, 1, FetchBody("nope", 0, offset: 0, maxWaitMs: 20_000));
        var (_, body) = (await consumer.ReceiveAsync(TimeSpan.FromSeconds(5)))!.Value;

        Assert.Equal(ErrorCode.UnknownTopicOrPartition, ReadSinglePartition(body).Error);
    }

    [Fact]
    public async Task Fetch_TinyLimits_FirstPartitionGetsOneWholeBatchOthersNothing()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Cluster.CreateTopic("limits", 2, new Dictionary<string, string?>(), validateOnly: false);
        using var connection = await RawKafkaConnection.ConnectAsync(broker.Port);
        foreach (var partition in new[] { 0, 1 })
        {
            foreach (var value in new[] { "first", "second" })
            {
                await connection.SendAsync(ApiKey.Produce, 3, 1, RawRequests.Produce("limits", partition, TestBatches.Build([value])));
                Assert.Equal(ErrorCode.None, RawRequests.ReadProduceResponse((await connection.ReceiveAsync())!.Value.Body).Error);
            }
        }

        await connection.SendAsync(ApiKey.Fetch, 4, 2, FetchBody("limits", [0, 1], offset: 0, maxWaitMs: 0, maxBytes: 1, partitionMaxBytes: 1));
        var (_, body) = (await connection.ReceiveAsync())!.Value;

        body.ReadInt32(); // throttle
        Assert.Equal(1, body.ReadInt32());
        body.ReadString();
        Assert.Equal(2, body.ReadInt32());
        var sizes = new List<int>();
        for (var p = 0; p < 2; p++)
        {
            body.ReadInt32();
            Assert.Equal(ErrorCode.None, (ErrorCode)body.ReadInt16());
            Assert.Equal(2, body.ReadInt64());
            body.ReadInt64();
            body.ReadArrayLength();
            sizes.Add((body.ReadNullableBytes() ?? ReadOnlyMemory<byte>.Empty).Length);
        }

        Assert.Equal([TestBatches.Build(["first"]).Length, 0], sizes);
    }

    private static Action<KafkaWriter> FetchBody(string topic, int partition, long offset, int maxWaitMs) =>
        FetchBody(topic, [partition], offset, maxWaitMs, 1024 * 1024, 1024 * 1024);

    private static Action<KafkaWriter> FetchBody(string topic, int[] partitions, long offset, int maxWaitMs, int maxBytes, int partitionMaxBytes) => w =>
    {
        w.WriteInt32(-1); // replica id
        w.WriteInt32(maxWaitMs);
        w.WriteInt32(1); // min bytes
        w.WriteInt32(maxBytes);
        w.WriteInt8(0); // isolation level
        w.WriteArrayLength(1);
        w.WriteString(topic);
        w.WriteArrayLength(partitions.Length);
        foreach (var partition in partitions)
        {
            w.WriteInt32(partition);
            w.WriteInt64(offset);
            w.WriteInt32(partitionMaxBytes);
        }
    };

    private static (ErrorCode Error, long HighWatermark, ReadOnlyMemory<byte> Records) ReadSinglePartition(KafkaReader body)
    {
        body.ReadInt32(); // throttle
        Assert.Equal(1, body.ReadInt32());
        body.ReadString();
        Assert.Equal(1, body.ReadInt32());
        body.ReadInt32(); // partition
        var error = (ErrorCode)body.ReadInt16();
        var highWatermark = body.ReadInt64();
        body.ReadInt64(); // last stable offset
        body.ReadArrayLength(); // aborted transactions
        var records = body.ReadNullableBytes() ?? ReadOnlyMemory<byte>.Empty;
        return (error, highWatermark, records);
    }
}
