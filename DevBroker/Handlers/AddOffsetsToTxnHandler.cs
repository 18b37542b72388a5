using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Transactions;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>AddOffsetsToTxn (key 25) v0–3 (v3 flexible): a group whose offsets the transaction will commit joins it
/// (the offsets follow in TxnOffsetCommit). PRODUCER_FENCED from v2, INVALID_PRODUCER_EPOCH before.</summary>
public sealed class AddOffsetsToTxnHandler : IApiHandler
{
    public ApiKey Key => ApiKey.AddOffsetsToTxn;

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
        var groupId = body.ReadString(flexible);
        body.SkipTaggedFields(flexible);

        var error = context.Services.Get<TransactionCoordinator>().AddOffsets(transactionalId, producerId, producerEpoch, groupId);
        response.WriteInt32(0); // throttle time
        response.WriteErrorCode(FencingErrors.ForVersion(error, context.Version, producerFencedSince: 2));
        response.WriteTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }
}
