using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.Ingest.Kafka;
using Xunit.Abstractions;

namespace InventoryOrleans.DevBroker.Tests.Consume;

/// <summary>A consumer long-polling at the end of the log gets a new record as soon as it is produced, not when its
/// fetch.wait.max.ms runs out (Confluent.Kafka against the broker, configured as the ingest pipeline uses it).</summary>
public sealed class FetchWakeUpTests(ITestOutputHelper output)
{
    private const int FetchWaitMaxMs = 5_000;
    private const int Records = 20;

    [Fact]
    public async Task Consume_LongPollingConsumer_GetsEachRecordWellBeforeFetchWaitMax()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Cluster.CreateTopic("latency", 3, new Dictionary<string, string?>(), validateOnly: false);

        // Both clients block (Produce/Flush/Consume): a thread of their own keeps them from starving the thread pool
        // the in-process broker runs on, which would add the pool's thread-injection delay to the figures.
        var latencies = await Task.Factory.StartNew(() => Measure(broker.BootstrapServers), TaskCreationOptions.LongRunning);

        var sorted = latencies.Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"produce→consume ms (fetch.wait.max.ms={FetchWaitMaxMs}): p50 {sorted[Records / 2]:0.00}, max {sorted[^1]:0.00}"));
        Assert.True(sorted[^1] < 1_000, $"the slowest record took {sorted[^1]:0} ms, as if answered at the fetch's deadline");
    }

    private static List<double> Measure(string bootstrap)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            LingerMs = 0,
            Acks = Acks.Leader,
        }).Build();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "assign-only", // required by the client; assign mode never joins it
            EnableAutoCommit = false,
            FetchWaitMaxMs = FetchWaitMaxMs,
            FetchMinBytes = 1,
        }).Build();
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset("latency", p, Offset.End)));

        // Warm-up records until one arrives: the consumer looks its end offsets up first, and a record produced before
        // that lies behind its start. From then on it is long-polling every partition at the end of its log.
        var warmUp = Stopwatch.StartNew();
        var warm = false;
        while (!warm && warmUp.Elapsed < TimeSpan.FromSeconds(20))
        {
            producer.Produce(new TopicPartition("latency", 0), new Message<byte[]?, byte[]> { Value = "warm-up"u8.ToArray() });
            producer.Flush(TimeSpan.FromSeconds(5));
            warm = consumer.Consume(TimeSpan.FromMilliseconds(500)) is not null;
        }

        Assert.True(warm, "the consumer got a warm-up record");
        var latencies = new List<double>(Records);
        for (var i = 0; i < Records; i++)
        {
            var expected = $"r{i}";
            var clock = Stopwatch.StartNew();
            producer.Produce(new TopicPartition("latency", i % 3), new Message<byte[]?, byte[]> { Value = Encoding.UTF8.GetBytes(expected) });
            var value = "";
            while (value != expected && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                // Late warm-up records may come first.
                value = consumer.Consume(TimeSpan.FromSeconds(20)) is { } result ? Encoding.UTF8.GetString(result.Message.Value) : "";
            }

            latencies.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal(expected, value);
        }

        consumer.Close();
        return latencies;
    }
}
