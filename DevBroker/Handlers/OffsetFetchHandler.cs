using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>OffsetFetch (key 9) v0–5: committed offsets, −1 where none; v2+ null topics means every committed offset (lag tools).</summary>
public sealed class OffsetFetchHandler : IApiHandler
{
    public ApiKey Key => ApiKey.OffsetFetch;

    public short MinVersion => 0;

    public short MaxVersion => 5;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var version = context.Version;
        var groupId = body.ReadString();
        List<OffsetFetchTopic>? topics = null;
        var topicCount = body.ReadArrayLength();
        if (topicCount >= 0 || version < 2)
        {
            topics = [];
            for (var t = 0; t < topicCount; t++)
            {
                var topic = body.ReadString();
                var partitions = new int[body.ReadArrayCount()];
                for (var p = 0; p < partitions.Length; p++)
                {
                    partitions[p] = body.ReadInt32();
                }

                topics.Add(new OffsetFetchTopic(topic, partitions));
            }
        }

        var offsets = context.Services.Get<GroupCoordinator>().FetchOffsets(groupId, topics);
        if (version >= 3)
        {
            response.WriteInt32(0);
        }

        var byTopic = offsets.GroupBy(o => o.Topic, StringComparer.Ordinal).ToList();
        response.WriteArrayLength(byTopic.Count);
        foreach (var topic in byTopic)
        {
            response.WriteString(topic.Key);
            response.WriteArrayLength(topic.Count());
            foreach (var offset in topic)
            {
                response.WriteInt32(offset.Partition);
                response.WriteInt64(offset.Offset);
                if (version >= 5)
                {
                    response.WriteInt32(offset.LeaderEpoch);
                }

                response.WriteNullableString(offset.Metadata);
                response.WriteErrorCode(ErrorCode.None);
            }
        }

        if (version >= 2)
        {
            response.WriteErrorCode(ErrorCode.None);
        }

        return ValueTask.FromResult(true);
    }
}
