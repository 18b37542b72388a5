using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Transactions;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>AddPartitionsToTxn (key 24) v0–3 (v3 flexible): the partitions a transactional producer is about to write
/// to join its transaction (librdkafka sends v0, kafkajs v1). v4+ is the brokers' batched form, not served.
/// PRODUCER_FENCED from v2, INVALID_PRODUCER_EPOCH before.</summary>
public sealed class AddPartitionsToTxnHandler : IApiHandler
{
    public ApiKey Key => ApiKey.AddPartitionsToTxn;

    public short MinVersion => 0;

    public short MaxVersion => 3;

    public short? FirstFlexibleVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var flexible = context.IsFlexible;
        var transactionalId = body.ReadString(flexible);
        var producerId = body.ReadInt64();
        var producerEpoch = body.ReadInt16();
        var partitions = new List<TransactionPartition>();
        var topicCount = body.ReadArrayCount(flexible);
        for (var t = 0; t < topicCount; t++)
        {
            var topic = body.ReadString(flexible);
            var partitionCount = body.ReadArrayCount(flexible);
            for (var p = 0; p < partitionCount; p++)
            {
                partitions.Add(new TransactionPartition(topic, body.ReadInt32()));
            }

            body.SkipTaggedFields(flexible);
        }

        body.SkipTaggedFields(flexible);

        var errors = context.Services.Get<TransactionCoordinator>().AddPartitions(transactionalId, producerId, producerEpoch, partitions);
        response.WriteInt32(0); // throttle time
        var byTopic = partitions.Zip(errors).GroupBy(r => r.First.Topic, StringComparer.Ordinal).ToList();
        response.WriteArrayLength(byTopic.Count, flexible);
        foreach (var topic in byTopic)
        {
            response.WriteString(topic.Key, flexible);
            response.WriteArrayLength(topic.Count(), flexible);
            foreach (var (partition, error) in topic)
            {
                response.WriteInt32(partition.Partition);
                response.WriteErrorCode(FencingErrors.ForVersion(error, context.Version, producerFencedSince: 2));
                response.WriteTaggedFields(flexible);
            }

            response.WriteTaggedFields(flexible);
        }

        response.WriteTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }
}
