using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Transactions;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>TxnOffsetCommit (key 28) v0–3 (v3 flexible): a transaction's offsets for a group, pending until it ends.
/// v3 (KIP-447) names the consumer's generation, member and instance, so a consumer the group has moved past is
/// refused (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID) and its transaction must abort.</summary>
public sealed class TxnOffsetCommitHandler : IApiHandler
{
    public ApiKey Key => ApiKey.TxnOffsetCommit;

    public short MinVersion => 0;

    public short MaxVersion => 3;

    public short? FirstFlexibleVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var version = context.Version;
        var flexible = context.IsFlexible;
        var transactionalId = body.ReadString(flexible);
        var groupId = body.ReadString(flexible);
        var producerId = body.ReadInt64();
        var producerEpoch = body.ReadInt16();
        var (generationId, memberId, groupInstanceId) = version >= 3
            ? (body.ReadInt32(), body.ReadString(flexible), body.ReadNullableString(flexible))
            : (-1, "", null);
        var entries = new List<OffsetCommitEntry>();
        var topicCount = body.ReadArrayCount(flexible);
        for (var t = 0; t < topicCount; t++)
        {
            var topic = body.ReadString(flexible);
            var partitionCount = body.ReadArrayCount(flexible);
            for (var p = 0; p < partitionCount; p++)
            {
                var partition = body.ReadInt32();
                var offset = body.ReadInt64();
                var leaderEpoch = version >= 2 ? body.ReadInt32() : -1;
                entries.Add(new OffsetCommitEntry(topic, partition, offset, leaderEpoch, body.ReadNullableString(flexible)));
                body.SkipTaggedFields(flexible);
            }

            body.SkipTaggedFields(flexible);
        }

        body.SkipTaggedFields(flexible);

        var cluster = context.Services.Cluster;
        var known = entries.Where(e => cluster.Find(e.Topic) is { } topic && e.Partition >= 0 && e.Partition < topic.PartitionCount).ToList();
        var outcomes = new Dictionary<(string, int), ErrorCode>();
        var command = new TxnOffsetCommitCommand(groupId, producerId, generationId, memberId, groupInstanceId, known);
        foreach (var outcome in context.Services.Get<TransactionCoordinator>().CommitOffsets(transactionalId, producerEpoch, command))
        {
            outcomes[(outcome.Topic, outcome.Partition)] = outcome.Error;
        }

        response.WriteInt32(0); // throttle time
        var byTopic = entries.GroupBy(e => e.Topic, StringComparer.Ordinal).ToList();
        response.WriteArrayLength(byTopic.Count, flexible);
        foreach (var topic in byTopic)
        {
            response.WriteString(topic.Key, flexible);
            response.WriteArrayLength(topic.Count(), flexible);
            foreach (var entry in topic)
            {
                response.WriteInt32(entry.Partition);
                response.WriteErrorCode(outcomes.GetValueOrDefault((entry.Topic, entry.Partition), ErrorCode.UnknownTopicOrPartition));
                response.WriteTaggedFields(flexible);
            }

            response.WriteTaggedFields(flexible);
        }

        response.WriteTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }
}
