using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>OffsetFetch (key 9) v0–7 (v6+ flexible): committed offsets, −1 where none; v2+ null topics means every
/// committed offset (lag tools); v7 require_stable answers UNSTABLE_OFFSET_COMMIT for partitions an open transaction
/// holds offsets for (librdkafka asks for it when isolation.level is read_committed, its default).</summary>
public sealed class OffsetFetchHandler : IApiHandler
{
    public ApiKey Key => ApiKey.OffsetFetch;

    public short MinVersion => 0;

    public short MaxVersion => 7;

    public short? FirstFlexibleVersion => 6;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var version = context.Version;
        var flexible = context.IsFlexible;
        var groupId = body.ReadString(flexible);
        List<OffsetFetchTopic>? topics = null;
        var topicCount = body.ReadArrayLength(flexible);
        if (topicCount >= 0 || version < 2)
        {
            topics = [];
            for (var t = 0; t < topicCount; t++)
            {
                var topic = body.ReadString(flexible);
                var partitions = new int[body.ReadArrayCount(flexible)];
                for (var p = 0; p < partitions.Length; p++)
                {
                    partitions[p] = body.ReadInt32();
                }

                body.SkipTaggedFields(flexible);
                topics.Add(new OffsetFetchTopic(topic, partitions));
            }
        }

        var requireStable = version >= 7 && body.ReadBoolean();
        body.SkipTaggedFields(flexible);

        var offsets = context.Services.Get<GroupCoordinator>().FetchOffsets(groupId, topics, requireStable);
        if (version >= 3)
        {
            response.WriteInt32(0);
        }

        var byTopic = offsets.GroupBy(o => o.Committed.Topic, StringComparer.Ordinal).ToList();
        response.WriteArrayLength(byTopic.Count, flexible);
        foreach (var topic in byTopic)
        {
            response.WriteString(topic.Key, flexible);
            response.WriteArrayLength(topic.Count(), flexible);
            foreach (var (offset, error) in topic)
            {
                response.WriteInt32(offset.Partition);
                response.WriteInt64(offset.Offset);
                if (version >= 5)
                {
                    response.WriteInt32(offset.LeaderEpoch);
                }

                response.WriteNullableString(offset.Metadata, flexible);
                response.WriteErrorCode(error);
                response.WriteTaggedFields(flexible);
            }

            response.WriteTaggedFields(flexible);
        }

        if (version >= 2)
        {
            response.WriteErrorCode(ErrorCode.None);
        }

        response.WriteTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }
}
