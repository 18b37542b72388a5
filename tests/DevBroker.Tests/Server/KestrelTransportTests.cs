using System.Text;
using Confluent.Kafka;
using InventoryOrleans.DevBroker.Protocol;
using ErrorCode = InventoryOrleans.DevBroker.Protocol.ErrorCode;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Server;

/// <summary>The Kestrel transport runs the same request loop as the socket one.</summary>
public sealed class KestrelTransportTests
{
    [Fact]
    public async Task Kestrel_ProduceAndConsume_EveryRecordBack()
    {
        await using var broker = await TestBroker.StartAsync(configure: o => o.Transport = BrokerTransport.Kestrel);
        broker.Cluster.CreateTopic("kestrel", 3, new Dictionary<string, string?>(), validateOnly: false);
        using (var producer = KafkaClients.IdempotentProducer(broker.BootstrapServers))
        {
            for (var i = 0; i < 3_000; i++)
            {
                producer.Produce(new TopicPartition("kestrel", i % 3), new Message<byte[]?, byte[]> { Value = Encoding.UTF8.GetBytes($"v{i}") });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(20)));
        }

        var read = KafkaClients.ReadAll(broker.BootstrapServers, "kestrel", 3, 3_000, TimeSpan.FromSeconds(20));

        Assert.Equal(3_000, read.Select(r => r.Value).Distinct().Count());
    }

    [Fact]
    public async Task Kestrel_UnknownApiKey_ClosesThatConnectionOnly()
    {
        await using var broker = await TestBroker.StartAsync(configure: o => o.Transport = BrokerTransport.Kestrel);
        using var bad = await RawKafkaConnection.ConnectAsync(broker.Port);
        using var good = await RawKafkaConnection.ConnectAsync(broker.Port);

        await bad.SendAsync((ApiKey)77, 0, 1);
        await good.SendAsync(ApiKey.ApiVersions, 4, 2);

        Assert.True(await bad.IsClosedByBrokerAsync(TimeSpan.FromSeconds(5)));
        var response = await good.ReceiveAsync();
        Assert.Equal(ErrorCode.UnsupportedVersion, (ErrorCode)response!.Value.Body.ReadInt16());
    }
}
