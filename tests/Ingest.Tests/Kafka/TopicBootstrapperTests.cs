using Confluent.Kafka;
using Confluent.Kafka.Admin;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.TestSupport.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.Ingest.Tests.Kafka;

/// <summary>What the silo's ingest does with the topics before it consumes (<c>IngestService.StartAsync</c> calls it; a failure stops the start).</summary>
public sealed class TopicBootstrapperTests
{
    private static TopicBootstrapper Bootstrapper(BrokerFixture broker) => new(
        Microsoft.Extensions.Options.Options.Create(new KafkaOptions { BootstrapServers = broker.BootstrapServers, StartupTimeout = TimeSpan.FromSeconds(10) }),
        TimeProvider.System,
        NullLogger<TopicBootstrapper>.Instance);

    [Fact]
    public async Task EnsureTopicsAsync_NoTopics_CreatesAllSevenAndNetStockCompacted()
    {
        await using var broker = await BrokerFixture.StartAsync();

        var partitions = await Bootstrapper(broker).EnsureTopicsAsync(CancellationToken.None);

        Assert.Equal(12, partitions);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var topics = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.ToDictionary(t => t.Topic, t => t.Partitions.Count);
        Assert.All(
            [.. Topics.Inputs, Topics.NetStock, Topics.Outcomes, Topics.DeadLetter, Topics.Alerts],
            topic => Assert.Equal(12, topics.GetValueOrDefault(topic)));
        var configs = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = Topics.NetStock }]);
        Assert.Equal("compact", configs.Single().Entries["cleanup.policy"].Value);
    }

    [Fact]
    public async Task EnsureTopicsAsync_InputPartitionCountsDiffer_RefusesWithClearMessage()
    {
        await using var broker = await BrokerFixture.StartAsync();
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([
                new TopicSpecification { Name = Topics.Snapshots, NumPartitions = 12, ReplicationFactor = 1 },
                new TopicSpecification { Name = Topics.Sales, NumPartitions = 3, ReplicationFactor = 1 },
            ]);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Bootstrapper(broker).EnsureTopicsAsync(CancellationToken.None));

        Assert.Contains("inventory.sales=3", error.Message, StringComparison.Ordinal);
        Assert.Contains("partition count", error.Message, StringComparison.Ordinal);
    }
}
