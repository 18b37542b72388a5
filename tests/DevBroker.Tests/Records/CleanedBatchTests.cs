using System.Text;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Records;

public sealed class CleanedBatchTests
{
    private static readonly (string?, string?)[] FourRecords = [("a", "1"), ("b", "2"), ("c", null), ("d", "4")];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WithRecords_SomeKept_SameOffsetsSequenceAndTimestampsWithValidCrc(bool gzip)
    {
        var original = KeyedBatches.Build(FourRecords, producerId: 7, epoch: 2, baseSequence: 40, gzip: gzip, timestampStep: 10);
        var records = BatchRecordReader.Read(original)!;

        var cleaned = CleanedBatch.WithRecords(original, [records[1], records[3]], deleteHorizonMs: null);

        Assert.Equal(ErrorCode.None, RecordBatchHeader.ValidateStored(cleaned, out var header));
        Assert.Equal(ErrorCode.CorruptMessage, RecordBatchHeader.Validate(cleaned, out _)); // fewer records than offsets: not a producer's batch
        Assert.Equal((3, 2, 7L, (short)2, 40, 43), (header.LastOffsetDelta, header.RecordCount, header.ProducerId, header.ProducerEpoch, header.BaseSequence, header.LastSequence));
        Assert.Equal(gzip ? BatchCompression.Gzip : 0, BatchCompression.Codec(header.Attributes));
        Assert.Equal((KeyedBatches.Timestamp + 10, KeyedBatches.Timestamp + 30), (header.BaseTimestamp, header.MaxTimestamp));
        var kept = BatchRecordReader.Read(cleaned)!;
        Assert.Equal([1, 3], kept.Select(r => r.OffsetDelta));
        Assert.Equal([records[1].Timestamp, records[3].Timestamp], kept.Select(r => r.Timestamp));
        Assert.Equal(["b=2", "d=4"], kept.Select(Text));
        Assert.Equal(records[3].Tail.ToArray(), kept[1].Tail.ToArray()); // headers and all copied as they were
    }

    [Fact]
    public void WithRecords_DeleteHorizon_InBaseTimestampWithBit6AndRecordsKeepTheirTimestamps()
    {
        var original = KeyedBatches.Build(FourRecords, timestampStep: 10);
        var records = BatchRecordReader.Read(original)!;
        var horizon = KeyedBatches.Timestamp + 86_400_000;

        var cleaned = CleanedBatch.WithRecords(original, [records[2]], horizon);

        Assert.Equal(ErrorCode.None, RecordBatchHeader.ValidateStored(cleaned, out var header));
        Assert.True(CleanedBatch.HasDeleteHorizon(header));
        Assert.Equal(horizon, header.BaseTimestamp);
        Assert.Equal(records[2].Timestamp, header.MaxTimestamp);
        var kept = Assert.Single(BatchRecordReader.Read(cleaned)!);
        Assert.Equal((records[2].Timestamp, 2, false), (kept.Timestamp, kept.OffsetDelta, kept.HasValue));
    }

    [Fact]
    public void Empty_KeepsOffsetsProducerAndSequenceWithoutRecordsOrCodec()
    {
        var original = KeyedBatches.Build(FourRecords, producerId: 7, epoch: 2, baseSequence: 40, gzip: true, timestampStep: 10);

        var empty = CleanedBatch.Empty(original);

        Assert.Equal(ErrorCode.None, RecordBatchHeader.ValidateStored(empty, out var header));
        Assert.Equal(RecordBatchHeader.Size, empty.Length);
        Assert.Equal((3, 0, 7L, (short)2, 40, 43), (header.LastOffsetDelta, header.RecordCount, header.ProducerId, header.ProducerEpoch, header.BaseSequence, header.LastSequence));
        Assert.Equal(0, BatchCompression.Codec(header.Attributes));
        Assert.Equal((KeyedBatches.Timestamp + 30, KeyedBatches.Timestamp + 30), (header.BaseTimestamp, header.MaxTimestamp));
        Assert.Empty(BatchRecordReader.Read(empty)!);
    }

    private static string Text(BatchRecord record) =>
        $"{Encoding.UTF8.GetString(record.Key!.Value.Span)}={(record.Value is { } value ? Encoding.UTF8.GetString(value.Span) : "null")}";
}
