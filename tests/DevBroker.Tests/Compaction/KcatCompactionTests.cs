using Confluent.Kafka;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Compaction;

/// <summary>Debian's kcat (librdkafka 2.0.2) reads a cleaned topic: gzip batches re-encoded with only their kept records,
/// tombstone batches carrying a delete horizon, a producer's emptied last batch — offsets and timestamps as produced.</summary>
public sealed class KcatCompactionTests
{
    private const string Topic = "stock";

    [Fact]
    public async Task Consume_CleanedGzipTopic_KcatPrintsEachKeysNewestWithItsOffsetAndTimestamp()
    {
        var clock = new ShiftableClock();
        await using var broker = await TestBroker.StartAsync(configure: o => o.LogCleanerInterval = TimeSpan.FromHours(1), time: clock);
        var produced = await CompactedTopicClient.ProduceUpdatesAsync(broker.BootstrapServers, Topic, TimeSpan.FromHours(1), CompressionType.Gzip);
        var timestamps = CompactedTopicClient.Timestamps(broker.BootstrapServers, Topic);

        broker.Cluster.Compact();

        var batches = LogContents.Batches(broker.Cluster.Find(Topic)!.Partition(0)!).Select(b => RecordBatchHeader.Read(b.Span)).ToList();
        Assert.Contains(batches, b => BatchCompression.Codec(b.Attributes) == BatchCompression.Gzip && b.RecordCount is > 0 && b.RecordCount < b.LastOffsetDelta + 1);
        Assert.Contains(batches, b => CleanedBatch.HasDeleteHorizon(b));
        var (exit, output) = await KcatProcess.RunAsync($"-b {broker.BootstrapServers} -C -t {Topic} -p 0 -o beginning -e -q -Z -f %o|%k|%s|%T\\n");

        Assert.Equal(0, exit);
        var expected = CompactedTopicClient.NewestPerKey(produced).Select(r => $"{r.Offset}|{r.Key}|{r.Value ?? "NULL"}|{timestamps[r.Offset]}");
        Assert.Equal(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
