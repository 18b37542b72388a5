using Confluent.Kafka;
using Confluent.Kafka.Admin;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Admin;

/// <summary>Topic administration through Confluent.Kafka's AdminClient.</summary>
public sealed class AdminClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task CreateTopics_WithConfigs_MetadataAndDescribeConfigsShowThem()
    {
        await using var broker = await TestBroker.StartAsync();
        using var admin = KafkaClients.Admin(broker.BootstrapServers);

        await admin.CreateTopicsAsync(
        [
            new TopicSpecification
            {
                Name = "inventory.net-stock",
                NumPartitions = 12,
                ReplicationFactor = 1,
                Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact", ["retention.ms"] = "3600000" },
            },
        ]);

        var metadata = admin.GetMetadata("inventory.net-stock", Timeout);
        var topic = Assert.Single(metadata.Topics);
        Assert.Equal(Confluent.Kafka.ErrorCode.NoError, topic.Error.Code);
        Assert.Equal(Enumerable.Range(0, 12), topic.Partitions.Select(p => p.PartitionId).Order());
        Assert.All(topic.Partitions, p => Assert.Equal(0, p.Leader));
        Assert.Equal(0, Assert.Single(metadata.Brokers).BrokerId);

        var configs = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "inventory.net-stock" }]);
        var entries = Assert.Single(configs).Entries;
        Assert.Equal("compact", entries["cleanup.policy"].Value);
        Assert.Equal("3600000", entries["retention.ms"].Value);
        Assert.False(entries["retention.ms"].IsDefault);
        Assert.True(entries["retention.bytes"].IsDefault);
        Assert.Equal(("86400000", true), (entries["delete.retention.ms"].Value, entries["delete.retention.ms"].IsDefault));
        Assert.Equal(("0", true), (entries["min.compaction.lag.ms"].Value, entries["min.compaction.lag.ms"].IsDefault));
    }

    [Fact]
    public async Task DescribeConfigs_Broker_ListsBrokerSettings()
    {
        await using var broker = await TestBroker.StartAsync(configure: o => o.DefaultPartitions = 3);
        using var admin = KafkaClients.Admin(broker.BootstrapServers);

        var configs = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "0" }]);

        Assert.Equal("3", Assert.Single(configs).Entries["num.partitions"].Value);
    }

    [Fact]
    public async Task CreateTopics_Existing_ReportsTopicAlreadyExists()
    {
        await using var broker = await TestBroker.StartAsync();
        using var admin = KafkaClients.Admin(broker.BootstrapServers);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "twice", NumPartitions = 2, ReplicationFactor = 1 }]);

        var error = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = "twice", NumPartitions = 2, ReplicationFactor = 1 }]));

        Assert.Equal(Confluent.Kafka.ErrorCode.TopicAlreadyExists, Assert.Single(error.Results).Error.Code);
    }

    [Theory]
    [InlineData("bad name!", 1, (short)1, Confluent.Kafka.ErrorCode.TopicException)]
    [InlineData("zero", 0, (short)1, Confluent.Kafka.ErrorCode.InvalidPartitions)]
    [InlineData("replicated", 1, (short)3, Confluent.Kafka.ErrorCode.InvalidReplicationFactor)]
    public async Task CreateTopics_Invalid_ReportsError(string name, int partitions, short replication, Confluent.Kafka.ErrorCode expected)
    {
        await using var broker = await TestBroker.StartAsync();
        using var admin = KafkaClients.Admin(broker.BootstrapServers);

        var error = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = replication }]));

        Assert.Equal(expected, Assert.Single(error.Results).Error.Code);
        Assert.Empty(broker.Cluster.Topics);
    }

    [Fact]
    public async Task CreateTopics_ValidateOnly_CreatesNothing()
    {
        await using var broker = await TestBroker.StartAsync();
        using var admin = KafkaClients.Admin(broker.BootstrapServers);

        await admin.CreateTopicsAsync([new TopicSpecification { Name = "dry", NumPartitions = 2, ReplicationFactor = 1 }], new CreateTopicsOptions { ValidateOnly = true });

        Assert.Null(broker.Cluster.Find("dry"));
    }

    [Fact]
    public async Task CreatePartitions_Grow_MetadataShowsNewCountAndShrinkRefused()
    {
        await using var broker = await TestBroker.StartAsync();
        using var admin = KafkaClients.Admin(broker.BootstrapServers);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "growing", NumPartitions = 2, ReplicationFactor = 1 }]);

        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "growing", IncreaseTo = 5 }]);

        Assert.Equal(5, Assert.Single(admin.GetMetadata("growing", Timeout).Topics).Partitions.Count);
        var shrink = await Assert.ThrowsAsync<CreatePartitionsException>(() =>
            admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "growing", IncreaseTo = 3 }]));
        Assert.Equal(Confluent.Kafka.ErrorCode.InvalidPartitions, Assert.Single(shrink.Results).Error.Code);
    }

    [Fact]
    public async Task DeleteTopics_Existing_RemovesItFromMetadata()
    {
        await using var broker = await TestBroker.StartAsync(configure: o => o.AutoCreateTopics = false);
        using var admin = KafkaClients.Admin(broker.BootstrapServers);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "doomed", NumPartitions = 2, ReplicationFactor = 1 }]);

        await admin.DeleteTopicsAsync(["doomed"]);

        Assert.DoesNotContain(admin.GetMetadata(Timeout).Topics, t => t.Topic == "doomed");
        var missing = await Assert.ThrowsAsync<DeleteTopicsException>(() => admin.DeleteTopicsAsync(["doomed"]));
        Assert.Equal(Confluent.Kafka.ErrorCode.UnknownTopicOrPart, Assert.Single(missing.Results).Error.Code);
    }
}
