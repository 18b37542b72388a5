using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>SyncGroup (key 14) v0–3: the leader hands in the assignment; every member waits for its own (empty bytes when none).</summary>
public sealed class SyncGroupHandler : IApiHandler
{
    public ApiKey Key => ApiKey.SyncGroup;

    public short MinVersion => 0;

    public short MaxVersion => 3;

    public async ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
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

        var assignments = new MemberAssignment[body.ReadArrayCount()];
        for (var i = 0; i < assignments.Length; i++)
        {
            assignments[i] = new MemberAssignment(body.ReadString(), body.ReadBytes().ToArray());
        }

        var result = await context.Services.Get<GroupCoordinator>()
            .SyncAsync(new SyncGroupCommand(groupId, generationId, memberId, assignments))
            .WaitAsync(cancellationToken);
        if (context.Version >= 1)
        {
            response.WriteInt32(0);
        }

        response.WriteErrorCode(result.Error);
        response.WriteBytes(result.Assignment);
        return true;
    }
}
