using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>OffsetCommit (key 8) v0–7: stores a group's offsets (durably, before answering); generation −1 is a commit outside group management.</summary>
public sealed class OffsetCommitHandler : IApiHandler
{
    public ApiKey Key => ApiKey.OffsetCommit;

    public short MinVersion => 0;

    public short MaxVersion => 7;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var version = context.Version;
        var groupId = body.ReadString();
        var generationId = version >= 1 ? body.ReadInt32() : -1;
        var memberId = version >= 1 ? body.ReadString() : "";
        if (version >= 7)
        {
            body.ReadNullableString();
        }

        if (version is >= 2 and <= 4)
        {
            body.ReadInt64(); // retention time: offsets are kept until the group is deleted
        }

        var entries = new List<OffsetCommitEntry>();
        var topicCount = body.ReadArrayCount();
        for (var t = 0; t < topicCount; t++)
        {
            var topic = body.ReadString();
            var partitionCount = body.ReadArrayCount();
            for (var p = 0; p < partitionCount; p++)
            {
                var partition = body.ReadInt32();
                var offset = body.ReadInt64();
                var leaderEpoch = version >= 6 ? body.ReadInt32() : -1;
                if (version == 1)
                {
                    body.ReadInt64(); // commit timestamp
                }

                entries.Add(new OffsetCommitEntry(topic, partition, offset, leaderEpoch, body.ReadNullableString()));
            }
        }

        var cluster = context.Services.Cluster;
        var known = entries.Where(e => cluster.Find(e.Topic) is { } topic && e.Partition >= 0 && e.Partition < topic.PartitionCount).ToList();
        var outcomes = context.Services.Get<GroupCoordinator>()
            .CommitOffsets(new OffsetCommitCommand(groupId, generationId, memberId, known))
            .ToDictionary(o => (o.Topic, o.Partition), o => o.Error);

        if (version >= 3)
        {
            response.WriteInt32(0);
        }

        var byTopic = entries.GroupBy(e => e.Topic, StringComparer.Ordinal).ToList();
        response.WriteArrayLength(byTopic.Count);
        foreach (var topic in byTopic)
        {
            response.WriteString(topic.Key);
            response.WriteArrayLength(topic.Count());
            foreach (var entry in topic)
            {
                response.WriteInt32(entry.Partition);
                response.WriteErrorCode(outcomes.GetValueOrDefault((entry.Topic, entry.Partition), ErrorCode.UnknownTopicOrPartition));
            }
        }

        return ValueTask.FromResult(true);
    }
}
