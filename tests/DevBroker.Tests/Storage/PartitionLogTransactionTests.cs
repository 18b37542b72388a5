using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Storage;
using InventoryOrleans.DevBroker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.DevBroker.Tests.Storage;

/// <summary>A partition's transactions: open ones hold the last stable offset back, markers end them, ABORT markers
/// index the aborted ones — live and as rebuilt from the segments after a restart.</summary>
public sealed class PartitionLogTransactionTests : IDisposable
{
    private const long ProducerA = 7;
    private const long ProducerB = 8;
    private readonly TempDirectory _directory = new();

    private string LogDirectory => Path.Combine(_directory.Path, "t-0");

    [Fact]
    public void LastStableOffset_OpenTransactions_IsTheEarliestFirstOffsetUntilItsMarker()
    {
        using var log = Open();
        Append(log, Plain("before"));
        Append(log, Transactional(ProducerA, 0, "a0")); // offset 1
        Append(log, Transactional(ProducerB, 0, "b0")); // offset 2
        Append(log, Transactional(ProducerA, 1, "a1")); // offset 3
        Assert.Equal(1, log.LastStableOffset);

        log.AppendMarker(ControlRecordType.Commit, ProducerA, 0, 0, 1, fsync: false); // offset 4
        Assert.Equal(2, log.LastStableOffset);
        Assert.False(log.HasOpenTransaction(ProducerA));
        Assert.True(log.HasOpenTransaction(ProducerB));

        log.AppendMarker(ControlRecordType.Commit, ProducerB, 0, 0, 1, fsync: false); // offset 5
        Assert.Equal(6, log.HighWatermark);
        Assert.Equal(6, log.LastStableOffset);
        Assert.Empty(log.AbortedTransactions);
    }

    [Fact]
    public void AppendMarker_Abort_IndexesTheTransactionFromItsFirstBatchToTheMarker()
    {
        using var log = Open();
        Append(log, Transactional(ProducerA, 0, "a0")); // 0
        Append(log, Plain("p")); // 1
        Append(log, Transactional(ProducerA, 1, "a1", "a2")); // 2-3
        var marker = log.AppendMarker(ControlRecordType.Abort, ProducerA, 0, 0, 1, fsync: false);

        Assert.Equal(4, marker.BaseOffset);
        Assert.Equal([new AbortedTransaction(ProducerA, 0, 4)], log.AbortedTransactions);
        Assert.True(log.IsAborted(ProducerA, 2));
        Assert.False(log.IsAborted(ProducerB, 2));
        Assert.False(log.IsAborted(ProducerA, 5));
        Assert.Equal(5, log.LastStableOffset);
    }

    [Fact]
    public void ViewFrom_ListsAbortedTransactionsOverlappingTheStableRange()
    {
        using var log = Open();
        Append(log, Transactional(ProducerA, 0, "a0")); // 0
        log.AppendMarker(ControlRecordType.Abort, ProducerA, 0, 0, 1, fsync: false); // 1
        Append(log, Transactional(ProducerB, 0, "b0")); // 2, stays open
        Append(log, Transactional(ProducerA, 1, "a1")); // 3
        log.AppendMarker(ControlRecordType.Abort, ProducerA, 0, 0, 1, fsync: false); // 4, after the stable offset

        var fromStart = log.ViewFrom(0);
        var pastFirst = log.ViewFrom(2);

        Assert.Equal(2, fromStart.LastStableOffset);
        Assert.Equal([new AbortedTransaction(ProducerA, 0, 1)], fromStart.AbortedTransactions);
        Assert.Empty(pastFirst.AbortedTransactions);
    }

    [Fact]
    public void Read_UpToTheLastStableOffset_LeavesOutTheOpenTransaction()
    {
        using var log = Open();
        Append(log, Plain("p0")); // 0
        Append(log, Plain("p1")); // 1
        Append(log, Transactional(ProducerA, 0, "open")); // 2
        Append(log, Plain("p3")); // 3

        using var writer = new KafkaWriter();
        var below = log.Read(0, 1 << 20, atLeastOne: true, writer, upTo: log.LastStableOffset);
        using var atStable = new KafkaWriter();
        var at = log.Read(2, 1 << 20, atLeastOne: true, atStable, upTo: log.LastStableOffset);

        Assert.Equal(2, CountBatches(writer));
        Assert.Equal(ErrorCode.None, at.Error);
        Assert.Equal(0, at.BytesWritten);
        Assert.Equal(4, below.HighWatermark);
    }

    [Fact]
    public void Open_AfterRestart_RebuildsOpenAndAbortedTransactionsAndTheFencedEpoch()
    {
        using (var log = Open())
        {
            Append(log, Transactional(ProducerA, 0, "aborted")); // 0
            log.AppendMarker(ControlRecordType.Abort, ProducerA, 1, 0, 1, fsync: false); // 1, fences epoch 0
            Append(log, Transactional(ProducerB, 0, "committed")); // 2
            log.AppendMarker(ControlRecordType.Commit, ProducerB, 0, 0, 1, fsync: false); // 3
            Append(log, Transactional(ProducerB, 1, "open")); // 4
        }

        using var reopened = Open();

        Assert.Equal(4, reopened.LastStableOffset);
        Assert.True(reopened.HasOpenTransaction(ProducerB));
        Assert.Equal([new AbortedTransaction(ProducerA, 0, 1)], reopened.AbortedTransactions);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, Append(reopened, Transactional(ProducerA, 1, "zombie"), expectError: true).Error);
        reopened.AppendMarker(ControlRecordType.Commit, ProducerB, 0, 0, 1, fsync: false);
        Assert.Equal(reopened.HighWatermark, reopened.LastStableOffset);
    }

    [Fact]
    public void ApplyRetention_DeletedSegments_ForgetTheirAbortedTransactions()
    {
        using var log = Open(segmentBytes: 1024);
        Append(log, Transactional(ProducerA, 0, new string('x', 900))); // 0
        log.AppendMarker(ControlRecordType.Abort, ProducerA, 0, 0, 1, fsync: false); // 1
        Append(log, Plain(new string('y', 900))); // 2, a segment of its own (the marker rolled one too)

        Assert.Single(log.AbortedTransactions);
        log.ApplyRetention(nowMs: 0, retentionMs: -1, retentionBytes: 900);

        Assert.Equal(2, log.LogStartOffset);
        Assert.Empty(log.AbortedTransactions);
    }

    public void Dispose() => _directory.Dispose();

    private static byte[] Plain(string value) => TestBatches.Build([value]);

    private static byte[] Transactional(long producerId, int baseSequence, params string[] values) =>
        TestBatches.Build(values, producerId: producerId, epoch: 0, baseSequence: baseSequence, transactional: true);

    private static AppendOutcome Append(PartitionLog log, byte[] batch, bool expectError = false)
    {
        Assert.Equal(ErrorCode.None, RecordBatchHeader.Validate(batch, out var header));
        var outcome = log.Append([(batch, header)], fsync: false);
        Assert.Equal(expectError, outcome.Error != ErrorCode.None);
        return outcome;
    }

    private static int CountBatches(KafkaWriter writer)
    {
        var reader = new KafkaReader(writer.WrittenMemory);
        var records = reader.ReadRaw(reader.ReadInt32());
        var count = 0;
        while (records.Length > 0)
        {
            records = records[RecordBatchHeader.Read(records.Span).TotalSize..];
            count++;
        }

        return count;
    }

    private PartitionLog Open(int segmentBytes = 1024 * 1024) => PartitionLog.Open(LogDirectory, segmentBytes, NullLogger.Instance);
}
