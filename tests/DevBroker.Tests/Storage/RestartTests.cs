using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.DevBroker.Tests.Storage;

/// <summary>A broker restarted from its data directory keeps every acknowledged record and topic config.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Theory]
    [InlineData(FsyncPolicy.FlushToOs)]
    [InlineData(FsyncPolicy.FsyncOnAcksAll)]
    public async Task StartAsync_SameDataDir_AllAcknowledgedRecordsAndConfigsThere(FsyncPolicy policy)
    {
        const int count = 5_000;
        await using (var broker = await TestBroker.StartAsync(_data.Path, o => o.FsyncPolicy = policy))
        {
            using (var admin = KafkaClients.Admin(broker.BootstrapServers))
            {
                await admin.CreateTopicsAsync([new TopicSpecification
                {
                    Name = "durable",
                    NumPartitions = 3,
                    ReplicationFactor = 1,
                    Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" },
                }]);
            }

            await ProduceAsync(broker.BootstrapServers, "durable", 0, count);
        }

        await using var restarted = await TestBroker.StartAsync(_data.Path);
        var topic = restarted.Cluster.Find("durable");
        Assert.NotNull(topic);
        Assert.Equal("compact", topic.Config.Entries["cleanup.policy"]);

        // A new idempotent producer gets a fresh id, so its sequence 0 is not taken for a duplicate of stored data.
        await ProduceAsync(restarted.BootstrapServers, "durable", count, 30);
        var read = KafkaClients.ReadAll(restarted.BootstrapServers, "durable", 3, count + 30, TimeSpan.FromSeconds(20));

        Assert.Equal(count + 30, read.Count);
        Assert.Equal(Enumerable.Range(0, count + 30).Select(i => $"v{i}").Order(), read.Select(r => r.Value).Order());
    }

    [Fact]
    public async Task StartAsync_SamePortRightAfterStopWithClientsConnected_Binds()
    {
        var port = FreePort.Next();
        await using (var broker = await TestBroker.StartAsync(_data.Path, o => o.Port = port))
        {
            using var connection = await RawKafkaConnection.ConnectAsync(port);
            await connection.SendAsync(InventoryOrleans.DevBroker.Protocol.ApiKey.ApiVersions, 0, 1);
            Assert.NotNull(await connection.ReceiveAsync());
            await broker.StopAsync(); // the broker closes the connection first: its side lingers in TIME_WAIT
        }

        await using var restarted = await TestBroker.StartAsync(_data.Path, o => o.Port = port);
        Assert.Equal(port, restarted.Port);
    }

    [Fact]
    public async Task StartAsync_DataDirInUse_RefusedWithHowToFix()
    {
        await using var first = await TestBroker.StartAsync(_data.Path);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestBroker.StartAsync(_data.Path));

        Assert.Contains("in use by another DevBroker", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_AfterTopicDeleted_TopicStaysGone()
    {
        await using (var broker = await TestBroker.StartAsync(_data.Path))
        {
            broker.Cluster.CreateTopic("gone", 2, new Dictionary<string, string?>(), validateOnly: false);
            Assert.Equal(InventoryOrleans.DevBroker.Protocol.ErrorCode.None, broker.Cluster.DeleteTopic("gone"));
        }

        await using var restarted = await TestBroker.StartAsync(_data.Path);
        Assert.Null(restarted.Cluster.Find("gone"));
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "gone-0")));
    }

    [Fact]
    public async Task ApplyRetention_TopicRetentionMsPassed_LogStartMovesToEnd()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var broker = await TestBroker.StartAsync(_data.Path, time: clock);
        broker.Cluster.CreateTopic("short-lived", 1, new Dictionary<string, string?> { ["retention.ms"] = "60000" }, validateOnly: false);
        await ProduceAsync(broker.BootstrapServers, "short-lived", 0, 10);
        var topic = broker.Cluster.Find("short-lived")!;

        broker.Cluster.ApplyRetention();
        Assert.Equal((0L, 10L), topic.Offsets(0));

        clock.Advance(TimeSpan.FromMinutes(2));
        broker.Cluster.ApplyRetention();
        Assert.Equal((10L, 10L), topic.Offsets(0));
    }

    [Fact]
    public async Task ApplyRetention_CompactOnlyTopic_KeepsEverything()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var broker = await TestBroker.StartAsync(_data.Path, time: clock);
        broker.Cluster.CreateTopic("compacted", 1, new Dictionary<string, string?> { ["cleanup.policy"] = "compact", ["retention.ms"] = "60000" }, validateOnly: false);
        await ProduceAsync(broker.BootstrapServers, "compacted", 0, 5);

        clock.Advance(TimeSpan.FromMinutes(2));
        broker.Cluster.ApplyRetention();

        Assert.Equal((0L, 5L), broker.Cluster.Find("compacted")!.Offsets(0));
    }

    public void Dispose() => _data.Dispose();

    private static async Task ProduceAsync(string bootstrap, string topic, int from, int count)
    {
        using var producer = KafkaClients.IdempotentProducer(bootstrap);
        var deliveries = new List<Task<DeliveryResult<byte[]?, byte[]>>>();
        for (var i = from; i < from + count; i++)
        {
            deliveries.Add(producer.ProduceAsync(topic, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes($"k{i}"), Value = Encoding.UTF8.GetBytes($"v{i}") }));
        }

        var results = await Task.WhenAll(deliveries);
        Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
    }
}
