using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.Ingest.Tests.Kafka;

public sealed class Murmur2PartitionerTests
{
    // The vectors of Apache Kafka's UtilsTest.testMurmur2.
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Hash_KafkaVectors_MatchJava(string key, int expected) =>
        Assert.Equal(expected, Murmur2Partitioner.Hash(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public void Partition_IsToPositiveHashModuloCount()
    {
        // murmur2("21") is negative: Java's toPositive masks the sign bit rather than taking the absolute value.
        Assert.Equal((-973932308 & 0x7fffffff) % 12, Murmur2Partitioner.Partition("21", 12));
    }

    [Fact]
    public void Partition_EmptyKey_IsStable()
    {
        Assert.Equal(Murmur2Partitioner.Partition(ReadOnlySpan<byte>.Empty, 12), Murmur2Partitioner.Partition("", 12));
    }

    [Fact]
    public void Partition_SpreadsKeysOverEveryPartition()
    {
        var used = Enumerable.Range(0, 1_000).Select(i => Murmur2Partitioner.Partition($"product-{i}", 12)).ToHashSet();

        Assert.Equal(12, used.Count);
    }

    [Fact]
    public async Task Partition_MatchesLibrdkafkaMurmur2Random()
    {
        await using var broker = await BrokerFixture.StartAsync();
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = "murmur2-check", NumPartitions = 12, ReplicationFactor = 1 }]);
        }

        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();

        for (var i = 0; i < 200; i++)
        {
            var key = $"key-{i}-é";
            var report = await producer.ProduceAsync("murmur2-check", new Message<string, string> { Key = key, Value = "x" });
            Assert.Equal(Murmur2Partitioner.Partition(key, 12), report.Partition.Value);
        }
    }
}
