using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Storage;
using InventoryOrleans.DevBroker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.DevBroker.Tests.Storage;

public sealed class PartitionLogTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogDirectory => Path.Combine(_directory.Path, "t-0");

    [Fact]
    public void Open_TornTailAfterCrash_TruncatesToLastWholeBatchAndAppendsAfterIt()
    {
        using (var log = Open())
        {
            Append(log, ["a", "b"]);
            Append(log, ["c"]);
        }

        var segment = Directory.GetFiles(LogDirectory, "*.log").Single();
        var goodLength = new FileInfo(segment).Length;
        File.AppendAllBytes(segment, TestBatches.Build(["torn"])[..30]);

        using var reopened = Open();
        Assert.Equal(3, reopened.HighWatermark);
        Assert.Equal(goodLength, new FileInfo(segment).Length);
        Assert.Equal(3, Append(reopened, ["d"]).BaseOffset);
    }

    [Fact]
    public void Open_CorruptBatchInTheMiddle_KeepsOnlyTheBatchesBeforeIt()
    {
        using (var log = Open())
        {
            Append(log, ["a"]);
            Append(log, ["b"]);
            Append(log, ["c"]);
        }

        var segment = Directory.GetFiles(LogDirectory, "*.log").Single();
        var bytes = File.ReadAllBytes(segment);
        var first = RecordBatchHeader.Read(bytes).TotalSize;
        bytes[first + RecordBatchHeader.Size + 2] ^= 0xFF; // inside the second batch's records
        File.WriteAllBytes(segment, bytes);

        using var reopened = Open();
        Assert.Equal(1, reopened.HighWatermark);
    }

    [Fact]
    public void Open_BaseOffsetOutOfSequence_TruncatesThere()
    {
        using (var log = Open())
        {
            Append(log, ["a"]);
            Append(log, ["b"]);
        }

        var segment = Directory.GetFiles(LogDirectory, "*.log").Single();
        var bytes = File.ReadAllBytes(segment);
        bytes[RecordBatchHeader.Read(bytes).TotalSize + 3] = 0x7F; // the second batch's base offset, outside the CRC
        File.WriteAllBytes(segment, bytes);

        using var reopened = Open();
        Assert.Equal(1, reopened.HighWatermark);
    }

    [Fact]
    public void Append_SameIdempotentBatchTwice_SecondAnswersOriginalOffsetAndAppendsNothing()
    {
        using var log = Open();
        Append(log, ["x"]);
        var batch = TestBatches.Build(["p0", "p1"], producerId: 9, epoch: 0, baseSequence: 0);

        var first = Append(log, batch);
        var again = Append(log, TestBatches.Build(["p0", "p1"], producerId: 9, epoch: 0, baseSequence: 0));

        Assert.Equal((ErrorCode.None, 1L), (first.Error, first.BaseOffset));
        Assert.Equal((ErrorCode.None, 1L), (again.Error, again.BaseOffset));
        Assert.Equal(3, log.HighWatermark);
    }

    [Fact]
    public void Append_SequenceGap_OutOfOrderSequenceNumber()
    {
        using var log = Open();
        Append(log, TestBatches.Build(["a"], producerId: 9, epoch: 0, baseSequence: 0));

        var gap = Append(log, TestBatches.Build(["c"], producerId: 9, epoch: 0, baseSequence: 2));

        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, gap.Error);
        Assert.Equal(1, log.HighWatermark);
    }

    [Fact]
    public void Append_EpochRules_OlderFencedNewerFromZeroAccepted()
    {
        using var log = Open();
        Append(log, TestBatches.Build(["a"], producerId: 9, epoch: 1, baseSequence: 0));

        Assert.Equal(ErrorCode.InvalidProducerEpoch, Append(log, TestBatches.Build(["b"], producerId: 9, epoch: 0, baseSequence: 1)).Error);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, Append(log, TestBatches.Build(["b"], producerId: 9, epoch: 2, baseSequence: 5)).Error);
        Assert.Equal(ErrorCode.None, Append(log, TestBatches.Build(["b"], producerId: 9, epoch: 2, baseSequence: 0)).Error);
        Assert.Equal(2, log.HighWatermark);
    }

    [Fact]
    public void Append_UnknownProducerWithAnySequence_Accepted()
    {
        using var log = Open();

        Assert.Equal(ErrorCode.None, Append(log, TestBatches.Build(["a"], producerId: 4, epoch: 0, baseSequence: 17)).Error);
    }

    [Fact]
    public void Open_AfterRestart_StillRecognizesDuplicateOfStoredBatch()
    {
        using (var log = Open())
        {
            Append(log, TestBatches.Build(["a"], producerId: 9, epoch: 0, baseSequence: 0));
        }

        using var reopened = Open();
        var retry = Append(reopened, TestBatches.Build(["a"], producerId: 9, epoch: 0, baseSequence: 0));

        Assert.Equal((ErrorCode.None, 0L), (retry.Error, retry.BaseOffset));
        Assert.Equal(1, reopened.HighWatermark);
        Assert.Equal(9, reopened.MaxProducerId);
    }

    [Fact]
    public void Read_ManySegments_EveryOffsetReturnsTheBatchContainingIt()
    {
        using var log = Open(segmentBytes: 1024);
        for (var i = 0; i < 40; i++)
        {
            Append(log, [$"r{i}a", $"r{i}b", $"r{i}c"]);
        }

        Assert.True(Directory.GetFiles(LogDirectory, "*.log").Length > 3, "the log rolled over into several segments");
        for (long offset = 0; offset < 120; offset++)
        {
            using var writer = new KafkaWriter();
            var outcome = log.Read(offset, 1, atLeastOne: true, writer);
            var reader = new KafkaReader(writer.WrittenMemory);
            var length = reader.ReadInt32();
            var header = RecordBatchHeader.Read(reader.ReadRaw(length).Span);
            Assert.Equal(ErrorCode.None, outcome.Error);
            Assert.InRange(offset, header.BaseOffset, header.BaseOffset + header.LastOffsetDelta);
        }
    }

    [Fact]
    public void Read_ByteLimit_WholeBatchesOnlyButAlwaysOne()
    {
        using var log = Open();
        var size = Append(log, ["aaaa"]).BaseOffset >= 0 ? TestBatches.Build(["aaaa"]).Length : 0;
        Append(log, ["bbbb"]);
        Append(log, ["cccc"]);

        Assert.Equal(size, ReadBytes(log, 0, 1, atLeastOne: true));
        Assert.Equal(0, ReadBytes(log, 0, 1, atLeastOne: false));
        Assert.Equal(2 * size, ReadBytes(log, 0, (2 * size) + 10, atLeastOne: false));
        Assert.Equal(0, ReadBytes(log, 3, 1000, atLeastOne: true));
    }

    [Fact]
    public void Read_OutsideTheLog_OffsetOutOfRange()
    {
        using var log = Open();
        Append(log, ["a"]);
        using var writer = new KafkaWriter();

        Assert.Equal(ErrorCode.OffsetOutOfRange, log.Read(5, 1000, true, writer).Error);
    }

    [Fact]
    public void ApplyRetention_BySize_DeletesOldSegmentsAndMovesLogStart()
    {
        using var log = Open(segmentBytes: 1024);
        for (var i = 0; i < 40; i++)
        {
            Append(log, [$"record-{i}"]);
        }

        var deleted = log.ApplyRetention(nowMs: 1_700_000_000_000, retentionMs: -1, retentionBytes: 2048);

        Assert.True(deleted > 0);
        Assert.True(log.LogStartOffset > 0);
        Assert.True(log.SizeBytes < 2048 + 1024);
        using var writer = new KafkaWriter();
        Assert.Equal(ErrorCode.OffsetOutOfRange, log.Read(0, 1000, true, writer).Error);
        Assert.Equal(40, log.HighWatermark);
    }

    [Fact]
    public void ApplyRetention_ByTime_EmptiesAnIdlePartitionButKeepsItsOffsets()
    {
        using var log = Open();
        Append(log, TestBatches.Build(["old"], timestamp: 1_000));

        log.ApplyRetention(nowMs: 1_000 + 60_001, retentionMs: 60_000, retentionBytes: -1);

        Assert.Equal((1L, 1L), (log.LogStartOffset, log.HighWatermark));
        Assert.Equal(1, Append(log, ["new"]).BaseOffset);
    }

    [Fact]
    public void FindByTimestamp_ReturnsFirstBatchAtOrAfterTime()
    {
        using var log = Open();
        Append(log, TestBatches.Build(["a"], timestamp: 100));
        Append(log, TestBatches.Build(["b"], timestamp: 200));

        Assert.Equal(1, log.FindByTimestamp(150)!.Value.Offset);
        Assert.Equal(0, log.FindByTimestamp(50)!.Value.Offset);
        Assert.Null(log.FindByTimestamp(300));
    }

    [Fact]
    public void FindByTimestamp_InsideAnUncompressedBatch_ReturnsTheExactRecord()
    {
        using var log = Open();
        Append(log, TestBatches.Build(["a", "b", "c", "d"], timestamp: 1_000, timestampStep: 100)); // 1000, 1100, 1200, 1300

        Assert.Equal((2L, 1_200L), log.FindByTimestamp(1_150));
        Assert.Equal((0L, 1_000L), log.FindByTimestamp(0));
    }

    public void Dispose() => _directory.Dispose();

    private static AppendOutcome Append(PartitionLog log, IReadOnlyList<string> values) => Append(log, TestBatches.Build(values));

    private static AppendOutcome Append(PartitionLog log, byte[] batch)
    {
        Assert.Equal(ErrorCode.None, RecordBatchHeader.Validate(batch, out var header));
        return log.Append([(batch, header)], fsync: false);
    }

    private static int ReadBytes(PartitionLog log, long offset, int maxBytes, bool atLeastOne)
    {
        using var writer = new KafkaWriter();
        return log.Read(offset, maxBytes, atLeastOne, writer).BytesWritten;
    }

    private PartitionLog Open(int segmentBytes = 1024 * 1024) => PartitionLog.Open(LogDirectory, segmentBytes, NullLogger.Instance);
}
