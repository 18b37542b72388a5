using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Transactions;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>Produce (key 0) v3–8: validates each record batch v2 (magic, length, lastOffsetDelta, CRC-32C; on a compacted
/// topic also that every record has a key), checks idempotent sequences, appends with broker-assigned offsets.
/// Transactional batches go through the transaction coordinator (current epoch, partition added to the ongoing
/// transaction); control batches are the coordinator's alone. acks=0 gets no response at all.</summary>
public sealed class ProduceHandler : IApiHandler
{
    public ApiKey Key => ApiKey.Produce;

    public short MinVersion => 3;

    public short MaxVersion => 8;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var version = context.Version;
        var transactionalId = body.ReadNullableString();
        var acks = body.ReadInt16();
        body.ReadInt32(); // timeout: appends are synchronous, nothing to wait for
        var acksError = acks is 0 or 1 or -1 ? ErrorCode.None : ErrorCode.InvalidRequiredAcks;
        var fsync = acks == -1 && context.Services.Options.FsyncPolicy == FsyncPolicy.FsyncOnAcksAll;
        var cluster = context.Services.Cluster;
        var maxMessageBytes = context.Services.Options.MaxMessageBytes;
        var appended = false;
        var batches = new List<(ReadOnlyMemory<byte> Bytes, RecordBatchHeader Header)>(1);

        // The whole request is read before anything is appended, so a malformed one changes no log.
        var topicCount = body.ReadArrayCount();
        var request = new List<(string Name, List<(int Index, ReadOnlyMemory<byte>? Records)> Partitions)>(topicCount);
        for (var t = 0; t < topicCount; t++)
        {
            var name = body.ReadString();
            var partitionCount = body.ReadArrayCount();
            var partitions = new List<(int, ReadOnlyMemory<byte>?)>(partitionCount);
            for (var p = 0; p < partitionCount; p++)
            {
                partitions.Add((body.ReadInt32(), body.ReadNullableBytes()));
            }

            request.Add((name, partitions));
        }

        response.WriteArrayLength(request.Count);
        foreach (var (name, partitions) in request)
        {
            var topic = cluster.Find(name);
            response.WriteString(name);
            response.WriteArrayLength(partitions.Count);
            foreach (var (index, records) in partitions)
            {
                var error = acksError;
                var baseOffset = -1L;
                var logStartOffset = -1L;
                var log = topic?.Partition(index);
                if (error == ErrorCode.None && log is null)
                {
                    error = ErrorCode.UnknownTopicOrPartition;
                }

                if (error == ErrorCode.None)
                {
                    error = Split(records ?? ReadOnlyMemory<byte>.Empty, maxMessageBytes, batches);
                }

                if (error == ErrorCode.None && topic is { Config.Compacts: true })
                {
                    error = CompactedTopicRecords.Check(batches);
                }

                if (error == ErrorCode.None && log is not null)
                {
                    var outcome = batches[0].Header.IsTransactional
                        ? context.Services.Get<TransactionCoordinator>().AppendTransactional(transactionalId, new TransactionPartition(name, index), log, batches, fsync)
                        : log.Append(batches, fsync);
                    error = outcome.Error;
                    baseOffset = outcome.BaseOffset;
                    logStartOffset = outcome.LogStartOffset;
                    appended |= error == ErrorCode.None;
                }

                response.WriteInt32(index);
                response.WriteErrorCode(error);
                response.WriteInt64(baseOffset);
                response.WriteInt64(-1); // log append time: records keep their create time
                if (version >= 5)
                {
                    response.WriteInt64(logStartOffset);
                }

                if (version >= 8)
                {
                    response.WriteArrayLength(0); // record errors
                    response.WriteNullableString(null); // error message
                }
            }
        }

        response.WriteInt32(0); // throttle time
        if (appended)
        {
            cluster.NotifyDataArrived();
        }

        return ValueTask.FromResult(acks != 0);
    }

    /// <summary>Splits a partition's records into validated batches; the error when any is bad (then nothing is appended).</summary>
    private static ErrorCode Split(ReadOnlyMemory<byte> records, int maxMessageBytes, List<(ReadOnlyMemory<byte> Bytes, RecordBatchHeader Header)> batches)
    {
        batches.Clear();
        if (records.Length == 0)
        {
            return ErrorCode.CorruptMessage;
        }

        while (records.Length > 0)
        {
            var error = RecordBatchHeader.Validate(records.Span, out var header);
            if (error != ErrorCode.None)
            {
                return error;
            }

            if (header.TotalSize > maxMessageBytes)
            {
                return ErrorCode.MessageTooLarge;
            }

            // Markers are written by the transaction coordinator only. A transactional batch shares its request with
            // other batches only if they are the same producer's transactional ones.
            var first = batches.Count == 0 ? header : batches[0].Header;
            if (header.IsControl
                || header.IsTransactional != first.IsTransactional
                || (header.IsTransactional && (header.ProducerId != first.ProducerId || header.ProducerEpoch != first.ProducerEpoch)))
            {
                return ErrorCode.InvalidRecord;
            }

            batches.Add((records[..header.TotalSize], header));
            records = records[header.TotalSize..];
        }

        return ErrorCode.None;
    }
}
