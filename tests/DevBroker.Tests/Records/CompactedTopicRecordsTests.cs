using System.Buffers.Binary;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Records;

public sealed class CompactedTopicRecordsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Check_RecordWithoutKey_InvalidRecord(bool gzip)
    {
        var batch = KeyedBatches.Build([("a", "1"), (null, "2")], gzip: gzip);

        Assert.Equal(ErrorCode.InvalidRecord, Check(batch));
    }

    [Fact]
    public void Check_EveryRecordKeyedTombstonesToo_None()
    {
        Assert.Equal(ErrorCode.None, Check(KeyedBatches.Build([("a", "1"), ("b", null)], gzip: true)));
    }

    [Fact]
    public void Check_CodecThatCannotBeRead_NotChecked()
    {
        var batch = KeyedBatches.Build([(null, "1")]);
        BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(21), 2); // snappy: the records stay opaque
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(17), Crc32C.Compute(batch.AsSpan(RecordBatchHeader.CrcStart)));

        Assert.Equal(ErrorCode.None, Check(batch));
    }

    private static ErrorCode Check(byte[] batch)
    {
        Assert.Equal(ErrorCode.None, RecordBatchHeader.Validate(batch, out var header));
        return CompactedTopicRecords.Check([(batch, header)]);
    }
}
