using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>ListOffsets (key 2) v0–5: −1 latest (the high watermark; the last stable offset for read_committed), −2
/// earliest (the log start), else the first batch whose max timestamp is at or after the given time (−1/−1 when there
/// is none, or when read_committed cannot see it yet).</summary>
public sealed class ListOffsetsHandler : IApiHandler
{
    private const long Latest = -1;
    private const long Earliest = -2;

    public ApiKey Key => ApiKey.ListOffsets;

    public short MinVersion => 0;

    public short MaxVersion => 5;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var version = context.Version;
        body.ReadInt32(); // replica id
        var readCommitted = version >= 2 && body.ReadInt8() == 1; // isolation level

        if (version >= 2)
        {
            response.WriteInt32(0); // throttle time
        }

        var topicCount = body.ReadArrayCount();
        response.WriteArrayLength(topicCount);
        for (var t = 0; t < topicCount; t++)
        {
            var name = body.ReadString();
            var topic = context.Services.Cluster.Find(name);
            response.WriteString(name);
            var partitionCount = body.ReadArrayCount();
            response.WriteArrayLength(partitionCount);
            for (var p = 0; p < partitionCount; p++)
            {
                var index = body.ReadInt32();
                if (version >= 4)
                {
                    body.ReadInt32(); // current leader epoch
                }

                var timestamp = body.ReadInt64();
                if (version == 0)
                {
                    body.ReadInt32(); // max number of offsets: one is always enough here
                }

                var log = topic?.Partition(index);
                var error = log is null ? ErrorCode.UnknownTopicOrPartition : ErrorCode.None;
                long offset = -1, foundTimestamp = -1;
                if (log is not null)
                {
                    switch (timestamp)
                    {
                        case Latest:
                            offset = readCommitted ? log.LastStableOffset : log.HighWatermark;
                            break;
                        case Earliest:
                            offset = log.LogStartOffset;
                            break;
                        case < 0:
                            error = ErrorCode.UnsupportedVersion; // −3 (max timestamp) came with v7
                            break;
                        default:
                            if (log.FindByTimestamp(timestamp) is { } found && (!readCommitted || found.Offset < log.LastStableOffset))
                            {
                                (offset, foundTimestamp) = found;
                            }

                            break;
                    }
                }

                response.WriteInt32(index);
                response.WriteErrorCode(error);
                if (version == 0)
                {
                    response.WriteArrayLength(offset >= 0 ? 1 : 0);
                    if (offset >= 0)
                    {
                        response.WriteInt64(offset);
                    }
                }
                else
                {
                    response.WriteInt64(foundTimestamp);
                    response.WriteInt64(offset);
                    if (version >= 4)
                    {
                        response.WriteInt32(0); // leader epoch
                    }
                }
            }
        }

        return ValueTask.FromResult(true);
    }
}
