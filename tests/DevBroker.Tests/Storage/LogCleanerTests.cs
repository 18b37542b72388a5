using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Storage;
using InventoryOrleans.DevBroker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.DevBroker.Tests.Storage;

/// <summary>The log cleaner over hand-made batches: keys, tombstones, transactions, producers, gzip, the compaction lag,
/// segment merging, appends meanwhile.</summary>
public sealed class LogCleanerTests : IDisposable
{
    private const long Now = KeyedBatches.Timestamp + 1_000;
    private const long DeleteRetentionMs = 60_000;
    private static readonly CleaningPolicy Policy = new(DeleteRetentionMs, MinCompactionLagMs: 0);
    private readonly TempDirectory _directory = new();

    private string LogDirectory => Path.Combine(_directory.Path, "t-0");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Clean_ManyUpdatesPerKey_SealedSegmentsKeepEachKeysNewestAtItsOffset(bool onDisk)
    {
        using var log = Open(onDisk);
        for (var round = 0; round < 10; round++)
        {
            Append(log, KeyedBatches.Build([.. Enumerable.Range(0, 5).Select(k => ((string?)$"k{k}", (string?)$"r{round}"))]));
            Seal(log);
        }

        Append(log, KeyedBatches.Build([("k0", "last")])); // the active segment's head counts for the key map

        var result = Clean(log);

        Assert.True(result.SegmentsRewritten > 0);
        Assert.Equal((50L, 4L), (result.RecordsBefore, result.RecordsAfter));
        Assert.Equal(
            [(46L, "k1", "r9"), (47L, "k2", "r9"), (48L, "k3", "r9"), (49L, "k4", "r9"), (50L, "k0", "last")],
            LogContents.Records(log).Select(r => (r.Offset, r.Key, r.Value)));
        Assert.Equal((0L, 51L), (log.LogStartOffset, log.HighWatermark));
    }

    [Fact]
    public void Clean_SecondPassAfterChanges_MergesTheSmallCleanedSegmentsAndReopensTheSame()
    {
        using (var log = Open(onDisk: true))
        {
            for (var round = 0; round < 10; round++)
            {
                Append(log, KeyedBatches.Build([("k", $"r{round}"), ($"once-{round}", "x")]));
                Seal(log);
            }

            Assert.Equal(11, SegmentFileNames().Length);
            Clean(log);
            Clean(log); // due again at once: the pass before changed something

            Assert.Equal(2, SegmentFileNames().Length); // the cleaned ones merged into one, and the active one
        }

        using var reopened = Open(onDisk: true);
        var expected = Enumerable.Range(0, 10).Select(r => ((long)(2 * r) + 1, $"once-{r}", "x")).Append((18L, "k", "r9")).OrderBy(r => r.Item1);
        Assert.Equal(expected, LogContents.Records(reopened).Select(r => (r.Offset, r.Key!, r.Value!)));
        Assert.Equal(20, reopened.HighWatermark);
        Assert.Equal(20, Append(reopened, KeyedBatches.Build([("k", "after")])).BaseOffset);
    }

    [Fact]
    public void Clean_ActiveSegment_NeverRewritten()
    {
        using var log = Open();
        Append(log, KeyedBatches.Build([("k", "1")]));
        Append(log, KeyedBatches.Build([("k", "2")]));

        Assert.Equal(CleaningResult.None, Clean(log));
        Assert.Equal(["1", "2"], LogContents.Records(log).Select(r => r.Value));
    }

    [Fact]
    public void Read_OffsetCleanedAway_AnswersTheNextBatch()
    {
        using var log = Open();
        Append(log, KeyedBatches.Build([("a", "1"), ("b", "1")]));
        Seal(log);
        Append(log, KeyedBatches.Build([("c", "1")]));
        Seal(log);
        Append(log, KeyedBatches.Build([("d", "1")]));
        Seal(log);
        Append(log, KeyedBatches.Build([("a", "2"), ("b", "2"), ("c", "2")]));
        Clean(log);

        using var writer = new KafkaWriter();
        var outcome = log.Read(1, 1024 * 1024, atLeastOne: true, writer);

        Assert.Equal(ErrorCode.None, outcome.Error);
        var reader = new KafkaReader(writer.WrittenMemory.ToArray());
        var batch = reader.ReadRaw(reader.ReadInt32());
        Assert.Equal(3, RecordBatchHeader.Read(batch.Span).BaseOffset); // offsets 1 and 2 are gone: d=1 is next
    }

    [Fact]
    public void Clean_Tombstone_KeptUntilDeleteRetentionAfterItsFirstCleaningThenDropped()
    {
        using var log = Open();
        Append(log, KeyedBatches.Build([("gone", "1"), ("kept", "1")]));
        Append(log, KeyedBatches.Build([("gone", null)]));
        Seal(log);

        Clean(log, Now);
        var afterFirst = LogContents.Batches(log);
        Assert.Equal([(1L, "kept", "1"), (2L, "gone", null)], LogContents.Records(log).Select(r => (r.Offset, r.Key, r.Value)));
        var tombstoneBatch = RecordBatchHeader.Read(afterFirst[^1].Span);
        Assert.True(CleanedBatch.HasDeleteHorizon(tombstoneBatch));
        Assert.Equal(Now + DeleteRetentionMs, tombstoneBatch.BaseTimestamp);

        Clean(log, Now + DeleteRetentionMs - 1);
        Assert.Contains(LogContents.Records(log), r => r is { Key: "gone", Value: null });

        Clean(log, Now + DeleteRetentionMs);
        Assert.Equal([(1L, "kept", "1")], LogContents.Records(log).Select(r => (r.Offset, r.Key, r.Value)));
        Assert.Equal(3, log.HighWatermark);
        var last = RecordBatchHeader.Read(LogContents.Batches(log)[^1].Span);
        Assert.Equal((2L, 0), (last.BaseOffset, last.RecordCount)); // the log never ends in a gap: kept, empty
    }

    [Fact]
    public void Clean_AbortedAndCommittedTransactions_AbortedRecordsDroppedCommittedKept()
    {
        using var log = OpenWithSegments(
            [
                KeyedBatches.Build([("a", "aborted"), ("shared", "aborted")], producerId: 1, epoch: 0, baseSequence: 0, transactional: true),
                KeyedBatches.Build([("b", "committed")], producerId: 2, epoch: 0, baseSequence: 0, transactional: true),
                KeyedBatches.Marker(producerId: 1, epoch: 0, commit: false),
                KeyedBatches.Build([("shared", "plain")]),
                KeyedBatches.Marker(producerId: 2, epoch: 0, commit: true),
            ],
            []);

        Clean(log);

        var records = LogContents.Records(log);
        Assert.DoesNotContain(records, r => r.Value == "aborted");
        Assert.Contains(records, r => r is { Offset: 2, Key: "b", Value: "committed" });
        Assert.Contains(records, r => r is { Offset: 4, Key: "shared", Value: "plain" });
        Assert.Equal([3L, 5L], ControlBatchOffsets(log)); // each producer's last batch stays
    }

    [Fact]
    public void Clean_AbortedBatchRightBeforeTheActiveSegment_KeptEmptyOnceThenLeftAlone()
    {
        using var log = OpenWithSegments(
            [KeyedBatches.Build([("a", "aborted"), ("b", "aborted")], producerId: 1, epoch: 0, baseSequence: 0, transactional: true)],
            [KeyedBatches.Marker(producerId: 1, epoch: 0, commit: false)]);

        Assert.Equal(1, Clean(log).SegmentsRewritten);
        Assert.Equal(0, Clean(log).SegmentsRewritten); // due again at once, and nothing left to change

        var first = RecordBatchHeader.Read(LogContents.Batches(log)[0].Span);
        Assert.Equal((0L, 0, 1), (first.BaseOffset, first.RecordCount, first.LastOffsetDelta));
        Assert.Equal([2L], LogContents.Records(log).Select(r => r.Offset)); // only the marker's record: the aborted ones are gone
    }

    [Fact]
    public void Clean_OpenTransaction_NothingAtOrAfterItIsCleanedNorCounts()
    {
        byte[][] before = [KeyedBatches.Build([("d", "0")])];
        byte[][] open = [KeyedBatches.Build([("c", "open")], producerId: 3, epoch: 0, baseSequence: 0, transactional: true)];
        byte[][] after = [KeyedBatches.Build([("d", "1"), ("c", "plain")])];
        using (var log = OpenWithSegments(before, open, after, []))
        {
            Assert.Equal(CleaningResult.None, Clean(log));
            Assert.Equal(["0", "open", "1", "plain"], LogContents.Records(log).Select(r => r.Value)); // d=1 is beyond the stable offset
        }

        Directory.Delete(LogDirectory, recursive: true);
        using var committed = OpenWithSegments(before, open, after, [KeyedBatches.Marker(producerId: 3, epoch: 0, commit: true)], []);
        Clean(committed);

        Assert.Equal([(2L, "d", "1"), (3L, "c", "plain")], LogContents.Records(committed).Where(r => r.Key is "c" or "d").Select(r => (r.Offset, r.Key, r.Value)));
    }

    [Fact]
    public void Clean_MarkerOfATransactionWhoseDataIsGone_GetsADeleteHorizonThenGoes()
    {
        using var log = OpenWithSegments(
            [
                KeyedBatches.Build([("k", "1")], producerId: 5, epoch: 0, baseSequence: 0, transactional: true),
                KeyedBatches.Marker(producerId: 5, epoch: 0, commit: true), // offset 1
                KeyedBatches.Build([("k", "2")], producerId: 5, epoch: 0, baseSequence: 1, transactional: true),
                KeyedBatches.Marker(producerId: 5, epoch: 0, commit: true), // offset 3: the producer's last batch
            ],
            []);

        Clean(log, Now); // k=1 goes; its marker stays while the pass still saw the data
        Assert.Equal([1L, 2L, 3L], LogContents.Batches(log).Select(b => RecordBatchHeader.Read(b.Span).BaseOffset));

        Clean(log, Now); // its transaction is empty now: the marker gets a delete horizon
        var marker = LogContents.Batches(log)[0];
        Assert.True(CleanedBatch.HasDeleteHorizon(RecordBatchHeader.Read(marker.Span)));
        Assert.Equal(TransactionMarker.Commit, TransactionMarkers.Read(marker));

        Clean(log, Now + DeleteRetentionMs - 1);
        Assert.Equal([1L, 3L], ControlBatchOffsets(log));

        Clean(log, Now + DeleteRetentionMs);
        Assert.Equal([2L, 3L], LogContents.Batches(log).Select(b => RecordBatchHeader.Read(b.Span).BaseOffset));
    }

    [Fact]
    public void Clean_ProducersLastBatchSuperseded_KeptEmptySoARestartStillKnowsItsSequence()
    {
        var batch = KeyedBatches.Build([("k", "from-9"), ("j", "from-9")], producerId: 9, epoch: 0, baseSequence: 0);
        using (var log = Open(onDisk: true))
        {
            Append(log, batch);
            Append(log, KeyedBatches.Build([("k", "plain"), ("j", "plain")]));
            Seal(log);

            Clean(log);

            var first = RecordBatchHeader.Read(LogContents.Batches(log)[0].Span);
            Assert.Equal((0L, 0, 1, 9L, 1), (first.BaseOffset, first.RecordCount, first.LastOffsetDelta, first.ProducerId, first.LastSequence));
            Assert.Equal(["plain", "plain"], LogContents.Records(log).Select(r => r.Value));
        }

        using var reopened = Open(onDisk: true);
        var retry = Append(reopened, KeyedBatches.Build([("k", "from-9"), ("j", "from-9")], producerId: 9, epoch: 0, baseSequence: 0));

        Assert.Equal((ErrorCode.None, 0L), (retry.Error, retry.BaseOffset)); // a duplicate, answered with its offset
        Assert.Equal(4, reopened.HighWatermark);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, Append(reopened, KeyedBatches.Build([("k", "x")], producerId: 9, epoch: 0, baseSequence: 5)).Error);
    }

    [Fact]
    public void Clean_GzipBatchPartlySuperseded_RecompressedWithTheRest()
    {
        using var log = Open();
        Append(log, KeyedBatches.Build([("a", "1"), ("b", "1"), ("c", "1")], gzip: true));
        Append(log, KeyedBatches.Build([("b", "2")]));
        Seal(log);

        Clean(log);

        var gzipBatch = RecordBatchHeader.Read(LogContents.Batches(log)[0].Span);
        Assert.Equal((BatchCompression.Gzip, 2, 2), (BatchCompression.Codec(gzipBatch.Attributes), gzipBatch.RecordCount, gzipBatch.LastOffsetDelta));
        Assert.Equal([(0L, "a", "1"), (2L, "c", "1"), (3L, "b", "2")], LogContents.Records(log).Select(r => (r.Offset, r.Key, r.Value)));
    }

    [Fact]
    public void Clean_MinCompactionLag_SegmentWithYoungerRecordsWaits()
    {
        using var log = Open();
        Append(log, KeyedBatches.Build([("k", "1")]));
        Append(log, KeyedBatches.Build([("k", "2")]));
        Seal(log);
        var policy = Policy with { MinCompactionLagMs = 60_000 };

        Assert.Equal(CleaningResult.None, Clean(log, KeyedBatches.Timestamp + 59_000, policy));
        Assert.Equal(2, LogContents.Records(log).Count);

        Assert.Equal(1, Clean(log, KeyedBatches.Timestamp + 60_001, policy).SegmentsRewritten);
        Assert.Equal(["2"], LogContents.Records(log).Select(r => r.Value));
    }

    [Fact]
    public async Task Clean_WhileAppendsAndReadsGoOn_LogStaysReadableAndKeepsEachKeysNewest()
    {
        using var log = PartitionLog.Open(null, 1024, NullLogger.Instance);
        var finalValues = new Dictionary<string, string>();
        var appending = Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                var key = $"k{i % 37}";
                Append(log, KeyedBatches.Build([(key, $"v{i}")]));
                finalValues[key] = $"v{i}";
            }
        });

        var passes = 0;
        while (!appending.IsCompleted || passes == 0)
        {
            Clean(log, Now + passes); // a later time each pass, so none is skipped as not due
            LogContents.Batches(log); // every batch read back validates
            passes++;
        }

        await appending;
        Seal(log);
        Clean(log, Now + passes);
        Clean(log, Now + passes + 1);

        Assert.Equal(finalValues.OrderBy(p => p.Key), LogContents.Records(log).Select(r => new KeyValuePair<string, string>(r.Key!, r.Value!)).OrderBy(p => p.Key));
        Assert.Equal(2_000, log.HighWatermark);
    }

    public void Dispose() => _directory.Dispose();

    private static CleaningResult Clean(PartitionLog log, long now = Now, CleaningPolicy? policy = null) =>
        new LogCleaner(NullLogger.Instance).Clean("t", 0, log, policy ?? Policy, now);

    private static void Seal(PartitionLog log) => Assert.True(log.RollIfOlderThan(long.MaxValue));

    private static AppendOutcome Append(PartitionLog log, byte[] batch)
    {
        Assert.Equal(ErrorCode.None, RecordBatchHeader.Validate(batch, out var header));
        return log.Append([(batch, header)], fsync: false);
    }

    private static List<long> ControlBatchOffsets(PartitionLog log) =>
        [.. LogContents.Batches(log).Select(b => RecordBatchHeader.Read(b.Span)).Where(h => h.IsControl).Select(h => h.BaseOffset)];

    private PartitionLog OpenWithSegments(params byte[][][] segments)
    {
        SegmentFiles.Write(LogDirectory, segments);
        return Open(onDisk: true);
    }

    private string[] SegmentFileNames() => Directory.GetFiles(LogDirectory, "*.log");

    private PartitionLog Open(bool onDisk = false) => PartitionLog.Open(onDisk ? LogDirectory : null, 64 * 1024, NullLogger.Instance);
}
