using InventoryOrleans.DevBroker.Cluster;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Storage;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.DevBroker.Tests.Cluster;

/// <summary>The cleaner's loop in the cluster state: its timer on the broker's clock, segment.ms, the topic configs it reads.</summary>
public sealed class ClusterStateCompactionTests
{
    private static readonly DateTimeOffset RecordTime = DateTimeOffset.FromUnixTimeMilliseconds(KeyedBatches.Timestamp);

    [Fact]
    public void Timer_SegmentMsPassed_IdleActiveSegmentRolledAndCleaned()
    {
        var clock = new ManualTimeProvider(RecordTime);
        using var cluster = Open(clock);
        var topic = Create(cluster, new() { ["cleanup.policy"] = "compact", ["segment.ms"] = "60000" });
        var log = topic.Partition(0)!;
        Append(log, KeyedBatches.Build([("k", "1")]));
        Append(log, KeyedBatches.Build([("k", "2")]));

        clock.Advance(TimeSpan.FromSeconds(45)); // three cleaner passes, the segment is younger than segment.ms
        Assert.Equal(2, LogContents.Records(log).Count);

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal([(1L, "k", "2")], LogContents.Records(log).Select(r => (r.Offset, r.Key, r.Value)));
        Assert.Equal((0L, 2L), topic.Offsets(0));
    }

    [Fact]
    public void Compact_SegmentBytesOfTheTopic_RollsAtThatSize()
    {
        using var cluster = Open(new ManualTimeProvider(RecordTime));
        var topic = Create(cluster, new() { ["cleanup.policy"] = "compact", ["segment.bytes"] = "1024" });
        var log = topic.Partition(0)!;
        for (var i = 0; i < 40; i++)
        {
            Append(log, KeyedBatches.Build([("k", $"{i}")]));
        }

        var cleaned = cluster.Compact();

        Assert.True(cleaned.SegmentsRewritten > 0);
        Assert.True(LogContents.Records(log).Count < 40);
        Assert.Equal("39", LogContents.Records(log)[^1].Value);
    }

    [Theory]
    [InlineData("segment.bytes", "100")]
    [InlineData("segment.ms", "0")]
    [InlineData("delete.retention.ms", "-5")]
    [InlineData("min.compaction.lag.ms", "soon")]
    public void CreateTopic_BadCompactionConfig_InvalidConfigSayingWhatItTakes(string name, string value)
    {
        using var cluster = Open(new ManualTimeProvider(RecordTime));

        var result = cluster.CreateTopic("t", 1, new Dictionary<string, string?> { [name] = value }, validateOnly: false);

        Assert.Equal(ErrorCode.InvalidConfig, result.Error);
        Assert.StartsWith(name, result.Message, StringComparison.Ordinal);
    }

    private static ClusterState Open(TimeProvider clock) => ClusterState.Open(new DevBrokerOptions(), clock, NullLoggerFactory.Instance);

    private static Topic Create(ClusterState cluster, Dictionary<string, string?> configs)
    {
        var result = cluster.CreateTopic("t", 1, configs, validateOnly: false);
        Assert.Equal(ErrorCode.None, result.Error);
        return result.Topic!;
    }

    private static void Append(PartitionLog log, byte[] batch)
    {
        Assert.Equal(ErrorCode.None, RecordBatchHeader.Validate(batch, out var header));
        Assert.Equal(ErrorCode.None, log.Append([(batch, header)], fsync: false).Error);
    }
}
