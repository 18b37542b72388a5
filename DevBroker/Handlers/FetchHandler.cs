using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>Fetch (key 1) v4–11, sessionless: reads several partitions within the byte limits (always at least one
/// whole batch), long-polling up to MaxWaitMs until MinBytes are there; appends wake it, it never busy-polls.</summary>
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
                    WritePartitionHeader(response, version, ErrorCode.UnknownTopicOrPartition, -1, -1);
                    response.WriteInt32(0);
                    continue;
                }

                // The error code precedes the records, so it is patched in after the read.
                var errorAt = response.Position;
                WritePartitionHeader(response, version, ErrorCode.None, 0, 0);
                var limit = (int)Math.Min(partition.MaxBytes, Math.Max(0, request.MaxBytes - total));
                var outcome = log.Read(partition.FetchOffset, limit, atLeastOne: total == 0, response);
                total += outcome.BytesWritten;
                hasError |= outcome.Error != ErrorCode.None;
                PatchPartitionHeader(response, errorAt, version, outcome.Error, outcome.HighWatermark, outcome.LogStartOffset);
            }
        }

        return (total, hasError);
    }

    private static void WritePartitionHeader(KafkaWriter response, short version, ErrorCode error, long highWatermark, long logStartOffset)
    {
        response.WriteErrorCode(error);
        response.WriteInt64(highWatermark);
        response.WriteInt64(highWatermark); // last stable offset: no transactions
        if (version >= 5)
        {
            response.WriteInt64(logStartOffset);
        }

        response.WriteArrayLength(0); // aborted transactions
        if (version >= 11)
        {
            response.WriteInt32(-1); // preferred read replica
        }
    }

    private static void PatchPartitionHeader(KafkaWriter response, int at, short version, ErrorCode error, long highWatermark, long logStartOffset)
    {
        response.PatchInt16(at, (short)error);
        response.PatchInt64(at + 2, highWatermark);
        response.PatchInt64(at + 10, highWatermark);
        if (version >= 5)
        {
            response.PatchInt64(at + 18, logStartOffset);
        }
    }
}
