using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Transactions;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>InitProducerId (key 22) v0–4 (v2+ flexible): a fresh producer id with epoch 0 for an idempotent producer; for
/// a transactional id its stable producer id and the next epoch (fencing the previous instance), see
/// <see cref="TransactionCoordinator.InitProducerId"/>. v3 carries the producer's own id and epoch when it bumps its
/// epoch after an error (KIP-360, librdkafka needs it to recover); PRODUCER_FENCED from v4, INVALID_PRODUCER_EPOCH before.</summary>
public sealed class InitProducerIdHandler : IApiHandler
{
    public ApiKey Key => ApiKey.InitProducerId;

    public short MinVersion => 0;

    public short MaxVersion => 4;

    public short? FirstFlexibleVersion => 2;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var transactionalId = body.ReadNullableString(context.IsFlexible);
        var timeoutMs = body.ReadInt32();
        var (producerId, producerEpoch) = context.Version >= 3 ? (body.ReadInt64(), body.ReadInt16()) : (-1L, (short)-1);
        body.SkipTaggedFields(context.IsFlexible);

        var result = context.Services.Get<TransactionCoordinator>()
            .InitProducerId(transactionalId, TimeSpan.FromMilliseconds(timeoutMs), producerId, producerEpoch);
        response.WriteInt32(0); // throttle time
        response.WriteErrorCode(FencingErrors.ForVersion(result.Error, context.Version, producerFencedSince: 4));
        response.WriteInt64(result.ProducerId);
        response.WriteInt16(result.ProducerEpoch);
        response.WriteTaggedFields(context.IsFlexible);
        return ValueTask.FromResult(true);
    }
}
