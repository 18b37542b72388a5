using InventoryOrleans.DevBroker.Storage;
using InventoryOrleans.DevBroker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.DevBroker.Tests.Storage;

/// <summary>A broker that stopped (or died) while the cleaner swapped a segment in finds either a <c>.cleaned</c> file
/// (never swapped in: deleted) or a <c>.swap</c> file (the swap was decided: completed) when it starts.</summary>
public sealed class InterruptedCleaningTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string LogDirectory => Path.Combine(_directory.Path, "t-0");

    [Fact]
    public void Open_LeftoverCleanedFile_DeletedAndTheSegmentsStayAsTheyWere()
    {
        SegmentFiles.Write(LogDirectory, [KeyedBatches.Build([("a", "1")])], [KeyedBatches.Build([("a", "2")])], []);
        var leftover = Path.Combine(LogDirectory, $"{0:D20}.cleaned");
        File.WriteAllBytes(leftover, KeyedBatches.Build([("a", "half written")])[..40]);

        using var log = Open();

        Assert.False(File.Exists(leftover));
        Assert.Equal([(0L, "a", "1"), (1L, "a", "2")], LogContents.Records(log).Select(r => (r.Offset, r.Key, r.Value)));
    }

    [Fact]
    public void Open_LeftoverSwapFile_ReplacedSegmentsGoAndItTakesTheFirstOnesName()
    {
        var bases = SegmentFiles.Write(
            LogDirectory,
            [KeyedBatches.Build([("a", "1")])],
            [KeyedBatches.Build([("a", "2")])],
            [KeyedBatches.Build([("b", "1")])],
            []);
        var cleaned = SegmentFiles.AtOffset(KeyedBatches.Build([("a", "2")]), 1); // what cleaning the first two left
        File.WriteAllBytes(Path.Combine(LogDirectory, $"{bases[0]:D20}-{bases[2]:D20}.swap"), cleaned);
        File.Delete(Path.Combine(LogDirectory, LogSegment.FileName(bases[0]))); // the swap had removed one of the two

        using var log = Open();

        Assert.Empty(Directory.GetFiles(LogDirectory, "*.swap"));
        Assert.Equal([LogSegment.FileName(0), LogSegment.FileName(2), LogSegment.FileName(3)], Directory.GetFiles(LogDirectory, "*.log").Select(Path.GetFileName).Order());
        Assert.Equal([(1L, "a", "2"), (2L, "b", "1")], LogContents.Records(log).Select(r => (r.Offset, r.Key, r.Value)));
        Assert.Equal((0L, 3L), (log.LogStartOffset, log.HighWatermark));
    }

    [Fact]
    public void Open_CleanedSegmentWithGaps_KeptAsSealedButAnActiveSegmentWithAGapIsTruncated()
    {
        SegmentFiles.Write(LogDirectory, [KeyedBatches.Build([("a", "1")]), KeyedBatches.Build([("b", "1")])], []);
        var sealedSegment = Path.Combine(LogDirectory, LogSegment.FileName(0));
        var second = SegmentFiles.AtOffset(KeyedBatches.Build([("b", "1")]), 1);
        File.WriteAllBytes(sealedSegment, second); // offset 0 cleaned away: the segment starts at 1
        using (var log = Open())
        {
            Assert.Equal([(1L, "b", "1")], LogContents.Records(log).Select(r => (r.Offset, r.Key, r.Value)));
            Assert.Equal(2, log.HighWatermark);
        }

        File.Delete(Path.Combine(LogDirectory, LogSegment.FileName(2))); // now it is the active one: gaps there are corruption
        using var reopened = Open();
        Assert.Equal(0, reopened.HighWatermark);
    }

    public void Dispose() => _directory.Dispose();

    private PartitionLog Open() => PartitionLog.Open(LogDirectory, 64 * 1024, NullLogger.Instance);
}
