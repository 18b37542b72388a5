using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>Heartbeat (key 12) v0–3: keeps a member's session; REBALANCE_IN_PROGRESS tells it to rejoin.</summary>
public sealed class HeartbeatHandler : IApiHandler
{
    public ApiKey Key => ApiKey.Heartbeat;

    public short MinVersion => 0;

    public short MaxVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var groupId = body.ReadString();
        var generationId = body.ReadInt32();
        var memberId = body.ReadString();
        if (context.Version >= 3)
        {
            body.ReadNullableString();
        }

        var error = context.Services.Get<GroupCoordinator>().Heartbeat(groupId, generationId, memberId);
        if (context.Version >= 1)
        {
            response.WriteInt32(0);
        }

        response.WriteErrorCode(error);
        return ValueTask.FromResult(true);
    }
}
