using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>FindCoordinator (key 10) v0–2: this broker coordinates every group (key type 0) and every transactional id
/// (key type 1). v0 must be served, or librdkafka 2.0.2 disables groups.</summary>
public sealed class FindCoordinatorHandler : IApiHandler
{
    private const sbyte GroupKeyType = 0;
    private const sbyte TransactionKeyType = 1;

    public ApiKey Key => ApiKey.FindCoordinator;

    public short MinVersion => 0;

    public short MaxVersion => 2;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        body.ReadString();
        var keyType = context.Version >= 1 ? body.ReadInt8() : GroupKeyType;

        var error = keyType is GroupKeyType or TransactionKeyType ? ErrorCode.None : ErrorCode.InvalidRequest;
        var options = context.Services.Options;
        if (context.Version >= 1)
        {
            response.WriteInt32(0);
        }

        response.WriteErrorCode(error);
        if (context.Version >= 1)
        {
            response.WriteNullableString(error == ErrorCode.None ? null : $"Unknown coordinator key type {keyType}.");
        }

        response.WriteInt32(error == ErrorCode.None ? options.NodeId : -1);
        response.WriteString(error == ErrorCode.None ? options.EffectiveAdvertisedHost : "");
        response.WriteInt32(error == ErrorCode.None ? options.Port : -1);
        return ValueTask.FromResult(true);
    }
}
