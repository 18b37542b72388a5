using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Transactions;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>EndTxn (key 26) v0–3 (v3 flexible): commits or aborts the producer's transaction — markers in every
/// partition, pending offsets applied or dropped. v5's epoch bump per transaction (KIP-890) is not served.
/// PRODUCER_FENCED from v2, INVALID_PRODUCER_EPOCH before.</summary>
public sealed class EndTxnHandler : IApiHandler
{
    public ApiKey Key => ApiKey.EndTxn;

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
        var commit = body.ReadBoolean();
        body.SkipTaggedFields(flexible);

        var error = context.Services.Get<TransactionCoordinator>().EndTransaction(transactionalId, producerId, producerEpoch, commit);
        response.WriteInt32(0); // throttle time
        response.WriteErrorCode(FencingErrors.ForVersion(error, context.Version, producerFencedSince: 2));
        response.WriteTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }
}
