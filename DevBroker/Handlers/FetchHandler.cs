using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Storage;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>Fetch (key 1) v4–11, sessionless: reads several partitions within the byte limits (always at least one
/// whole batch), long-polling up to MaxWaitMs until MinBytes are there; appends (markers too) wake it, it never
/// busy-polls. read_committed stops at each partition's last stable offset and lists the aborted transactions it overlaps.</summary>
public sealed class FetchHandler : IApiHandler
{
    public ApiKey Key => ApiKey.Fetch;

    public short MinVersion => 4;

    public short MaxVersion => 11;

    public async ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var request = FetchRequest.Read(context.Body, context.Version);
        var cluster = context.Services.Cluster;
        var time = context.Services.Time;
        var start = response.Position;
        var deadline = time.GetTimestamp() + (long)(Math.Max(0, request.MaxWaitMs) * (time.TimestampFrequency / 1000.0));
        while (true)
        {
            // Taken before reading, so an append that lands in between still wakes this wait.
            var dataArrived = cluster.DataArrivedAsync();
            var (bytes, hasError) = Write(context, request, response);
            var remaining = time.GetElapsedTime(time.GetTimestamp(), deadline);
            if (bytes >= request.MinBytes || hasError || remaining <= TimeSpan.Zero)
            {
                return true;
            }

            response.Truncate(start);
            using var wakeUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timeout = Task.Delay(remaining, time, wakeUp.Token);
            await Task.WhenAny(dataArrived, timeout);
            await wakeUp.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static (long Bytes, bool HasError) Write(RequestContext context, FetchRequest request, KafkaWriter response)
    {
        var version = context.Version;
        var cluster = context.Services.Cluster;
        long total = 0;
        var hasError = false;
        response.WriteInt32(0); // throttle time
        if (version >= 7)
        {
            response.WriteErrorCode(ErrorCode.None);
            response.WriteInt32(0); // session id: sessions are not kept, every fetch is full
        }

        response.WriteArrayLength(request.Topics.Count);
        foreach (var (name, partitions) in request.Topics)
        {
            response.WriteString(name);
            response.WriteArrayLength(partitions.Count);
            var topic = cluster.Find(name);
            foreach (var partition in partitions)
            {
                response.WriteInt32(partition.Partition);
                var log = topic?.Partition(partition.Partition);
                if (log is null)
                {
                    hasError = true;
                    WritePartitionHeader(response, version, ErrorCode.UnknownTopicOrPartition, -1, new TransactionView(-1, []));
                    response.WriteInt32(0);
                    continue;
                }

                // The transaction view is taken first: the log only grows meanwhile, so everything below its last stable
                // offset is still decided when the batches are read. The error code, high watermark and log start precede
                // the records, so they are patched in after the read.
                var view = request.ReadCommitted ? log.ViewFrom(partition.FetchOffset) : new TransactionView(log.LastStableOffset, []);
                var errorAt = response.Position;
                WritePartitionHeader(response, version, ErrorCode.None, 0, view);
                var limit = (int)Math.Min(partition.MaxBytes, Math.Max(0, request.MaxBytes - total));
                var upTo = request.ReadCommitted ? view.LastStableOffset : long.MaxValue;
                var outcome = log.Read(partition.FetchOffset, limit, atLeastOne: total == 0, response, upTo);
                total += outcome.BytesWritten;
                hasError |= outcome.Error != ErrorCode.None;
                PatchPartitionHeader(response, errorAt, version, outcome.Error, outcome.HighWatermark, outcome.LogStartOffset);
            }
        }

        return (total, hasError);
    }

    private static void WritePartitionHeader(KafkaWriter response, short version, ErrorCode error, long logStartOffset, TransactionView view)
    {
        response.WriteErrorCode(error);
        response.WriteInt64(view.LastStableOffset); // high watermark: patched after the read
        response.WriteInt64(view.LastStableOffset);
        if (version >= 5)
        {
            response.WriteInt64(logStartOffset);
        }

        response.WriteArrayLength(view.AbortedTransactions.Count);
        foreach (var aborted in view.AbortedTransactions)
        {
            response.WriteInt64(aborted.ProducerId);
            response.WriteInt64(aborted.FirstOffset);
        }

        if (version >= 11)
        {
            response.WriteInt32(-1); // preferred read replica
        }
    }

    private static void PatchPartitionHeader(KafkaWriter response, int at, short version, ErrorCode error, long highWatermark, long logStartOffset)
    {
        response.PatchInt16(at, (short)error);
        response.PatchInt64(at + 2, highWatermark);
        if (version >= 5)
        {
            response.PatchInt64(at + 18, logStartOffset);
        }
    }
}
