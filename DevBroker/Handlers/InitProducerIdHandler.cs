using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>InitProducerId (key 22) v0–1: a fresh producer id with epoch 0 for an idempotent producer. Transactional
/// ids are refused (transactions are not served, see SKIPPED.md).</summary>
public sealed class InitProducerIdHandler : IApiHandler
{
    public ApiKey Key => ApiKey.InitProducerId;

    public short MinVersion => 0;

    public short MaxVersion => 1;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var transactionalId = context.Body.ReadNullableString();
        context.Body.ReadInt32(); // transaction timeout
        response.WriteInt32(0); // throttle time
        if (transactionalId is not null)
        {
            response.WriteErrorCode(ErrorCode.InvalidRequest);
            response.WriteInt64(-1);
            response.WriteInt16(-1);
            return ValueTask.FromResult(true);
        }

        response.WriteErrorCode(ErrorCode.None);
        response.WriteInt64(context.Services.Cluster.NextProducerId());
        response.WriteInt16(0);
        return ValueTask.FromResult(true);
    }
}
