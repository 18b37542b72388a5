using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Protocol;

/// <summary>The transactional APIs byte for byte over a raw socket, in their flexible versions (request header v2,
/// response header v1, compact fields, tagged fields) and in the old ones (fencing answered as INVALID_PRODUCER_EPOCH
/// before PRODUCER_FENCED existed), plus what a read_committed Fetch carries.</summary>
public sealed class TransactionWireTests : IAsyncLifetime
{
    private const string TransactionalId = "raw-txn";
    private DevBrokerServer? _server;
    private RawKafkaConnection? _connection;
    private int _correlationId;

    public async Task InitializeAsync()
    {
        _server = await TestBroker.StartAsync();
        _connection = await RawKafkaConnection.ConnectAsync(_server.Port);
        var created = await RequestAsync(ApiKey.CreateTopics, 0, RawRequests.CreateTopic("t", 1));
        Assert.Equal(1, created.ReadInt32());
    }

    public async Task DisposeAsync()
    {
        _connection?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task TransactionApis_FlexibleVersions_CommitOffsetsAndRecordsInTheirLayouts()
    {
        var (producerId, epoch) = await InitAsync(-1, -1);
        Assert.Equal(0, epoch);

        var added = await RequestAsync(ApiKey.AddPartitionsToTxn, 3, w =>
        {
            w.WriteCompactString(TransactionalId);
            w.WriteInt64(producerId);
            w.WriteInt16(epoch);
            w.WriteCompactArrayLength(1);
            w.WriteCompactString("t");
            w.WriteCompactArrayLength(1);
            w.WriteInt32(0);
            w.WriteEmptyTaggedFields();
            w.WriteEmptyTaggedFields();
        }, flexible: true);
        Assert.Equal(0, added.ReadInt32()); // throttle
        Assert.Equal(1, added.ReadCompactArrayLength());
        Assert.Equal("t", added.ReadCompactString());
        Assert.Equal(1, added.ReadCompactArrayLength());
        Assert.Equal((0, ErrorCode.None), (added.ReadInt32(), (ErrorCode)added.ReadInt16()));
        AssertEnd(added, tagSections: 3);

        var batch = TestBatches.Build(["in-txn"], producerId: producerId, epoch: epoch, baseSequence: 0, transactional: true);
        var produced = await RequestAsync(ApiKey.Produce, 3, RawRequests.Produce("t", 0, batch, transactionalId: TransactionalId));
        Assert.Equal((ErrorCode.None, 0L), RawRequests.ReadProduceResponse(produced));

        var offsetsAdded = await RequestAsync(ApiKey.AddOffsetsToTxn, 3, w =>
        {
            w.WriteCompactString(TransactionalId);
            w.WriteInt64(producerId);
            w.WriteInt16(epoch);
            w.WriteCompactString("raw-group");
            w.WriteEmptyTaggedFields();
        }, flexible: true);
        Assert.Equal((0, ErrorCode.None), (offsetsAdded.ReadInt32(), (ErrorCode)offsetsAdded.ReadInt16()));
        AssertEnd(offsetsAdded, tagSections: 1);

        var committed = await RequestAsync(ApiKey.TxnOffsetCommit, 3, w =>
        {
            w.WriteCompactString(TransactionalId);
            w.WriteCompactString("raw-group");
            w.WriteInt64(producerId);
            w.WriteInt16(epoch);
            w.WriteInt32(-1); // generation: not a group member (KIP-447 fields present, unchecked)
            w.WriteCompactString("");
            w.WriteCompactNullableString(null);
            w.WriteCompactArrayLength(1);
            w.WriteCompactString("t");
            w.WriteCompactArrayLength(1);
            w.WriteInt32(0);
            w.WriteInt64(1);
            w.WriteInt32(-1); // leader epoch
            w.WriteCompactNullableString("meta");
            w.WriteEmptyTaggedFields();
            w.WriteEmptyTaggedFields();
            w.WriteEmptyTaggedFields();
        }, flexible: true);
        Assert.Equal(0, committed.ReadInt32());
        Assert.Equal(1, committed.ReadCompactArrayLength());
        Assert.Equal("t", committed.ReadCompactString());
        Assert.Equal(1, committed.ReadCompactArrayLength());
        Assert.Equal((0, ErrorCode.None), (committed.ReadInt32(), (ErrorCode)committed.ReadInt16()));
        AssertEnd(committed, tagSections: 3);

        Assert.Equal((-1L, "", ErrorCode.UnstableOffsetCommit), await OffsetFetchV7Async(requireStable: true));
        Assert.Equal((-1L, "", ErrorCode.None), await OffsetFetchV7Async(requireStable: false));

        Assert.Equal(ErrorCode.None, await EndTxnAsync(3, producerId, epoch, commit: true));

        Assert.Equal((1L, "meta", ErrorCode.None), await OffsetFetchV7Async(requireStable: true));
    }

    [Fact]
    public async Task FencedProducer_OldVersionsAnswerInvalidProducerEpoch_NewOnesProducerFenced()
    {
        var (producerId, old) = await InitAsync(-1, -1);
        var (_, current) = await InitAsync(-1, -1);
        Assert.Equal(old + 1, current);

        Assert.Equal(ErrorCode.InvalidProducerEpoch, await EndTxnAsync(1, producerId, old, commit: true));
        Assert.Equal(ErrorCode.ProducerFenced, await EndTxnAsync(3, producerId, old, commit: true));
        Assert.Equal(ErrorCode.ProducerFenced, (await InitProducerIdV4Async(producerId, old)).Error);

        // v3 carries the producer's id and epoch (KIP-360) but predates PRODUCER_FENCED.
        var v3 = await RequestAsync(ApiKey.InitProducerId, 3, w =>
        {
            w.WriteCompactString(TransactionalId);
            w.WriteInt32(60_000);
            w.WriteInt64(producerId);
            w.WriteInt16(old);
            w.WriteEmptyTaggedFields();
        }, flexible: true);
        Assert.Equal((0, ErrorCode.InvalidProducerEpoch), (v3.ReadInt32(), (ErrorCode)v3.ReadInt16()));

        // The current producer bumping its own epoch gets the next one.
        var (bumpedId, bumped) = await InitAsync(producerId, current);
        Assert.Equal((producerId, (short)(current + 1)), (bumpedId, bumped));
    }

    [Fact]
    public async Task Fetch_ReadCommittedAfterAnAbort_ListsTheAbortedTransactionAndTheLastStableOffset()
    {
        var (producerId, epoch) = await InitAsync(-1, -1);
        await AddPartitionV0Async(producerId, epoch);
        var batch = TestBatches.Build(["aborted"], producerId: producerId, epoch: epoch, baseSequence: 0, transactional: true);
        Assert.Equal(ErrorCode.None, RawRequests.ReadProduceResponse(await RequestAsync(ApiKey.Produce, 3, RawRequests.Produce("t", 0, batch, transactionalId: TransactionalId))).Error);
        Assert.Equal(ErrorCode.None, await EndTxnAsync(0, producerId, epoch, commit: false));
        await AddPartitionV0Async(producerId, epoch);
        var open = TestBatches.Build(["open"], producerId: producerId, epoch: epoch, baseSequence: 1, transactional: true);
        Assert.Equal(ErrorCode.None, RawRequests.ReadProduceResponse(await RequestAsync(ApiKey.Produce, 3, RawRequests.Produce("t", 0, open, transactionalId: TransactionalId))).Error);

        var fetched = await RequestAsync(ApiKey.Fetch, 4, RawRequests.Fetch("t", 0, offset: 0, maxWaitMs: 0, isolationLevel: 1));

        fetched.ReadInt32(); // throttle
        Assert.Equal(1, fetched.ReadInt32());
        fetched.ReadString();
        Assert.Equal(1, fetched.ReadInt32());
        Assert.Equal((0, ErrorCode.None), (fetched.ReadInt32(), (ErrorCode)fetched.ReadInt16()));
        Assert.Equal((3L, 2L), (fetched.ReadInt64(), fetched.ReadInt64())); // high watermark, last stable offset
        Assert.Equal(1, fetched.ReadInt32());
        Assert.Equal((producerId, 0L), (fetched.ReadInt64(), fetched.ReadInt64()));
        var records = fetched.ReadRaw(fetched.ReadInt32());
        var first = RecordBatchHeader.Read(records.Span);
        var marker = RecordBatchHeader.Read(records.Span[first.TotalSize..]);
        Assert.Equal((0L, true, false), (first.BaseOffset, first.IsTransactional, first.IsControl));
        Assert.Equal((1L, true, ControlBatch.Attributes), (marker.BaseOffset, marker.IsControl, marker.Attributes));
        Assert.Equal(ControlRecordType.Abort, ControlBatch.ReadType(records[first.TotalSize..]));
        Assert.Equal(first.TotalSize + marker.TotalSize, records.Length); // the open transaction's batch is past the stable offset
    }

    private static void AssertEnd(KafkaReader body, int tagSections)
    {
        for (var i = 0; i < tagSections; i++)
        {
            body.SkipTaggedFields();
        }

        Assert.Equal(0, body.Remaining);
    }

    private async Task<(long ProducerId, short Epoch)> InitAsync(long producerId, short epoch)
    {
        var (error, id, bumped) = await InitProducerIdV4Async(producerId, epoch);
        Assert.Equal(ErrorCode.None, error);
        return (id, bumped);
    }

    private async Task<(ErrorCode Error, long ProducerId, short Epoch)> InitProducerIdV4Async(long producerId, short epoch)
    {
        var body = await RequestAsync(ApiKey.InitProducerId, 4, w =>
        {
            w.WriteCompactNullableString(TransactionalId);
            w.WriteInt32(60_000);
            w.WriteInt64(producerId);
            w.WriteInt16(epoch);
            w.WriteEmptyTaggedFields();
        }, flexible: true);
        Assert.Equal(0, body.ReadInt32());
        var result = ((ErrorCode)body.ReadInt16(), body.ReadInt64(), body.ReadInt16());
        AssertEnd(body, tagSections: 1);
        return result;
    }

    private async Task AddPartitionV0Async(long producerId, short epoch)
    {
        var added = await RequestAsync(ApiKey.AddPartitionsToTxn, 0, w =>
        {
            w.WriteString(TransactionalId);
            w.WriteInt64(producerId);
            w.WriteInt16(epoch);
            w.WriteArrayLength(1);
            w.WriteString("t");
            w.WriteArrayLength(1);
            w.WriteInt32(0);
        });
        added.ReadInt32();
        Assert.Equal(1, added.ReadInt32());
        added.ReadString();
        Assert.Equal(1, added.ReadInt32());
        Assert.Equal((0, ErrorCode.None), (added.ReadInt32(), (ErrorCode)added.ReadInt16()));
    }

    private async Task<ErrorCode> EndTxnAsync(short version, long producerId, short epoch, bool commit)
    {
        var flexible = version >= 3;
        var body = await RequestAsync(ApiKey.EndTxn, version, w =>
        {
            w.WriteString(TransactionalId, flexible);
            w.WriteInt64(producerId);
            w.WriteInt16(epoch);
            w.WriteBoolean(commit);
            w.WriteTaggedFields(flexible);
        }, flexible);
        Assert.Equal(0, body.ReadInt32());
        var error = (ErrorCode)body.ReadInt16();
        AssertEnd(body, tagSections: flexible ? 1 : 0);
        return error;
    }

    private async Task<(long Offset, string? Metadata, ErrorCode Error)> OffsetFetchV7Async(bool requireStable)
    {
        var body = await RequestAsync(ApiKey.OffsetFetch, 7, w =>
        {
            w.WriteCompactString("raw-group");
            w.WriteCompactArrayLength(1);
            w.WriteCompactString("t");
            w.WriteCompactArrayLength(1);
            w.WriteInt32(0);
            w.WriteEmptyTaggedFields();
            w.WriteBoolean(requireStable);
            w.WriteEmptyTaggedFields();
        }, flexible: true);
        Assert.Equal(0, body.ReadInt32()); // throttle
        Assert.Equal(1, body.ReadCompactArrayLength());
        Assert.Equal("t", body.ReadCompactString());
        Assert.Equal(1, body.ReadCompactArrayLength());
        Assert.Equal(0, body.ReadInt32());
        var offset = body.ReadInt64();
        Assert.Equal(-1, body.ReadInt32()); // leader epoch
        var metadata = body.ReadCompactNullableString();
        var error = (ErrorCode)body.ReadInt16();
        body.SkipTaggedFields();
        body.SkipTaggedFields();
        Assert.Equal(ErrorCode.None, (ErrorCode)body.ReadInt16());
        AssertEnd(body, tagSections: 1);
        return (offset, metadata, error);
    }

    /// <summary>Sends one request and returns the response body, past the response header (v1 for flexible versions).</summary>
    private async Task<KafkaReader> RequestAsync(ApiKey key, short version, Action<KafkaWriter> body, bool flexible = false)
    {
        var connection = _connection ?? throw new InvalidOperationException("not started");
        var correlationId = ++_correlationId;
        await connection.SendAsync(key, version, correlationId, body, flexible);
        var (answered, reader) = (await connection.ReceiveAsync())!.Value;
        Assert.Equal(correlationId, answered);
        reader.SkipTaggedFields(flexible);
        return reader;
    }
}
