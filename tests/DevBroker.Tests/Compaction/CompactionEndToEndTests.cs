using Confluent.Kafka;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Storage;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.DevBroker.Tests.Compaction;

/// <summary>Log compaction seen by real clients (Confluent.Kafka / librdkafka): what a reader from the beginning gets,
/// offsets, tombstones and delete.retention.ms, restarts.</summary>
public sealed class CompactionEndToEndTests : IDisposable
{
    private const string Topic = "stock";
    private static readonly TimeSpan DeleteRetention = TimeSpan.FromHours(1);
    private readonly TempDirectory _data = new();
    private readonly ShiftableClock _clock = new();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Compact_ManyUpdatesAndTombstones_ReaderFromTheBeginningGetsEachKeysNewestAtItsOffset(bool onDisk)
    {
        var broker = await StartAsync(onDisk);
        try
        {
            var produced = await ProduceUpdatesAsync(broker.BootstrapServers);
            var end = produced.Max(r => r.Offset) + 1;
            var expected = CompactedTopicClient.NewestPerKey(produced);

            var cleaned = broker.Cluster.Compact();

            Assert.True(cleaned.SegmentsRewritten > 0 && cleaned.RecordsAfter < cleaned.RecordsBefore, $"{cleaned}");
            Assert.Equal(expected, CompactedTopicClient.Read(broker.BootstrapServers, Topic));
            Assert.Equal((0L, end), broker.Cluster.Find(Topic)!.Offsets(0));
            Assert.Contains(expected, r => r.Value is null); // tombstones stay until delete.retention.ms after their cleaning
            var early = RecordBatchHeader.Read(LogContents.Batches(broker.Cluster.Find(Topic)!.Partition(0)!)[0].Span);
            Assert.Equal((0L, 0), (early.BaseOffset, early.RecordCount)); // the first producer's last batch, kept empty, read past

            if (onDisk)
            {
                await broker.DisposeAsync();
                broker = await StartAsync(onDisk);
                Assert.Equal(expected, CompactedTopicClient.Read(broker.BootstrapServers, Topic));
                Assert.Equal((0L, end), broker.Cluster.Find(Topic)!.Offsets(0));
            }

            _clock.Advance(DeleteRetention);
            broker.Cluster.Compact();

            Assert.Equal([.. expected.Where(r => r.Value is not null)], CompactedTopicClient.Read(broker.BootstrapServers, Topic));
            Assert.Equal((0L, end), broker.Cluster.Find(Topic)!.Offsets(0));
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task Read_FromAnOffsetThatWasCleanedAway_StartsAtTheNextRecord()
    {
        await using var broker = await StartAsync(onDisk: false);
        await CompactedTopicClient.CreateAsync(broker.BootstrapServers, Topic);
        using var producer = CompactedTopicClient.Producer(broker.BootstrapServers);
        var produced = new List<(long Offset, string Key, string? Value)>();
        foreach (var version in Enumerable.Range(0, 10))
        {
            produced.AddRange(await CompactedTopicClient.ProduceAsync(producer, Topic, [("k", $"v{version}")])); // offsets 0..9
        }

        produced.AddRange(await CompactedTopicClient.ProduceAsync(producer, Topic, CompactedTopicClient.Fillers(40)));
        broker.Cluster.Compact();

        var read = CompactedTopicClient.Read(broker.BootstrapServers, Topic, from: 3);

        Assert.Equal((9L, "k", "v9"), read[0]);
        Assert.Equal(produced.Skip(10), read.Skip(1));
    }

    [Fact]
    public async Task Compact_LastRecordsAreExpiredTombstones_ReaderStillReachesTheEnd()
    {
        await using var broker = await StartAsync(onDisk: false);
        await CompactedTopicClient.CreateAsync(broker.BootstrapServers, Topic, segmentMs: 1);
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build(); // no producer id
        await producer.ProduceAsync(new TopicPartition(Topic, 0), new Message<byte[]?, byte[]?> { Key = "k"u8.ToArray(), Value = "v"u8.ToArray() });
        await producer.ProduceAsync(new TopicPartition(Topic, 0), new Message<byte[]?, byte[]?> { Key = "k"u8.ToArray(), Value = null });
        await Eventually.TrueAsync(() => broker.Cluster.Compact().SegmentsRewritten > 0, TimeSpan.FromSeconds(10), "segment.ms sealed the segment and it was cleaned");
        Assert.Equal([(1L, "k", null)], CompactedTopicClient.Read(broker.BootstrapServers, Topic));

        _clock.Advance(DeleteRetention);
        broker.Cluster.Compact();

        Assert.Empty(CompactedTopicClient.Read(broker.BootstrapServers, Topic)); // the end is reached, not waited for
        Assert.Empty(CompactedTopicClient.Read(broker.BootstrapServers, Topic, from: 1));
        Assert.Equal((0L, 2L), broker.Cluster.Find(Topic)!.Offsets(0));
    }

    [Fact]
    public async Task Compact_TopicWithDeletePolicy_NeverCleaned()
    {
        await using var broker = await StartAsync(onDisk: true);
        await CompactedTopicClient.CreateAsync(broker.BootstrapServers, Topic, policy: "delete");
        using var producer = CompactedTopicClient.Producer(broker.BootstrapServers);
        var produced = new List<(long Offset, string Key, string? Value)>();
        foreach (var round in Enumerable.Range(0, 10))
        {
            produced.AddRange(await CompactedTopicClient.ProduceAsync(producer, Topic, Enumerable.Range(0, 10).Select(k => ($"k{k}", (string?)$"r{round}-{new string('x', 100)}"))));
        }

        var files = Directory.GetFiles(Path.Combine(_data.Path, $"{Topic}-0")).Order().Select(f => (f, new FileInfo(f).Length)).ToList();

        Assert.Equal(CleaningResult.None, broker.Cluster.Compact());
        Assert.Equal(produced, CompactedTopicClient.Read(broker.BootstrapServers, Topic));
        Assert.True(files.Count > 2, "the topic rolled several segments");
        Assert.Equal(files, Directory.GetFiles(Path.Combine(_data.Path, $"{Topic}-0")).Order().Select(f => (f, new FileInfo(f).Length)));
    }

    [Fact]
    public async Task Produce_RecordWithoutKeyOnCompactedTopic_RefusedWithInvalidRecord()
    {
        await using var broker = await StartAsync(onDisk: false);
        await CompactedTopicClient.CreateAsync(broker.BootstrapServers, Topic);
        await CompactedTopicClient.CreateAsync(broker.BootstrapServers, "plain", policy: "delete");
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();

        var refused = await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]>>(() =>
            producer.ProduceAsync(new TopicPartition(Topic, 0), new Message<byte[]?, byte[]> { Key = null, Value = [1] }));
        var accepted = await producer.ProduceAsync(new TopicPartition("plain", 0), new Message<byte[]?, byte[]> { Key = null, Value = [1] });

        Assert.Equal(Confluent.Kafka.ErrorCode.InvalidRecord, refused.Error.Code);
        Assert.Equal((0L, 0L), broker.Cluster.Find(Topic)!.Offsets(0));
        Assert.Equal(PersistenceStatus.Persisted, accepted.Status);
    }

    [Fact]
    public async Task LogCleanerInterval_Elapses_CompactedTopicCleanedWithoutBeingAsked()
    {
        await using var broker = await TestBroker.StartAsync(configure: o => o.LogCleanerInterval = TimeSpan.FromMilliseconds(100), time: _clock);
        var produced = await ProduceUpdatesAsync(broker.BootstrapServers);
        var expected = CompactedTopicClient.NewestPerKey(produced);

        await Eventually.TrueAsync(
            () => CompactedTopicClient.Read(broker.BootstrapServers, Topic).SequenceEqual(expected),
            TimeSpan.FromSeconds(30),
            "the cleaner's loop left each key's newest record only");

        Assert.True(produced.Count > expected.Count);
    }

    public void Dispose() => _data.Dispose();

    private static Task<List<(long Offset, string Key, string? Value)>> ProduceUpdatesAsync(string bootstrap) =>
        CompactedTopicClient.ProduceUpdatesAsync(bootstrap, Topic, DeleteRetention);

    private Task<DevBrokerServer> StartAsync(bool onDisk) =>
        TestBroker.StartAsync(onDisk ? _data.Path : null, o => o.LogCleanerInterval = TimeSpan.FromHours(1), _clock);
}
