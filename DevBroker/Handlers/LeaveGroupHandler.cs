using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>LeaveGroup (key 13) v0–3: one member (v0–2) or a batch of members (v3, as kafkajs sends) leave at once.</summary>
public sealed class LeaveGroupHandler : IApiHandler
{
    public ApiKey Key => ApiKey.LeaveGroup;

    public short MinVersion => 0;

    public short MaxVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var groupId = body.ReadString();
        var members = new List<LeavingMember>();
        if (context.Version >= 3)
        {
            var count = body.ReadArrayCount();
            for (var i = 0; i < count; i++)
            {
                members.Add(new LeavingMember(body.ReadString(), body.ReadNullableString()));
            }
        }
        else
        {
            members.Add(new LeavingMember(body.ReadString(), null));
        }

        var errors = context.Services.Get<GroupCoordinator>().Leave(groupId, members);
        if (context.Version >= 1)
        {
            response.WriteInt32(0);
        }

        if (context.Version < 3)
        {
            response.WriteErrorCode(errors[0]);
            return ValueTask.FromResult(true);
        }

        response.WriteErrorCode(ErrorCode.None);
        response.WriteArrayLength(members.Count);
        for (var i = 0; i < members.Count; i++)
        {
            response.WriteString(members[i].MemberId);
            response.WriteNullableString(members[i].GroupInstanceId);
            response.WriteErrorCode(errors[i]);
        }

        return ValueTask.FromResult(true);
    }
}
