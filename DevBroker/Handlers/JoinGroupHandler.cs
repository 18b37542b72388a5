using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>JoinGroup (key 11) v0–5: answered when the rebalance completes; v4+ first joins get MEMBER_ID_REQUIRED with an id.</summary>
public sealed class JoinGroupHandler : IApiHandler
{
    public ApiKey Key => ApiKey.JoinGroup;

    public short MinVersion => 0;

    public short MaxVersion => 5;

    public async ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var version = context.Version;
        var groupId = body.ReadString();
        var sessionTimeoutMs = body.ReadInt32();
        var rebalanceTimeoutMs = version >= 1 ? body.ReadInt32() : sessionTimeoutMs;
        var memberId = body.ReadString();
        var groupInstanceId = version >= 5 ? body.ReadNullableString() : null;
        var protocolType = body.ReadString();
        var protocols = new GroupProtocol[body.ReadArrayCount()];
        for (var i = 0; i < protocols.Length; i++)
        {
            protocols[i] = new GroupProtocol(body.ReadString(), body.ReadBytes().ToArray());
        }

        var command = new JoinGroupCommand(
            groupId,
            memberId,
            groupInstanceId,
            context.Header.ClientId ?? "",
            context.Connection.ClientHost,
            TimeSpan.FromMilliseconds(Math.Max(0, sessionTimeoutMs)),
            TimeSpan.FromMilliseconds(Math.Max(0, rebalanceTimeoutMs)),
            protocolType,
            protocols,
            RequireKnownMemberId: version >= 4);
        var result = await context.Services.Get<GroupCoordinator>().JoinAsync(command).WaitAsync(cancellationToken);

        if (version >= 2)
        {
            response.WriteInt32(0);
        }

        response.WriteErrorCode(result.Error);
        response.WriteInt32(result.GenerationId);

        // Non-nullable before v7: clients read a null protocol name as a failure, so errors carry "".
        response.WriteString(result.ProtocolName ?? "");
        response.WriteString(result.LeaderId);
        response.WriteString(result.MemberId);
        response.WriteArrayLength(result.Members.Count);
        foreach (var member in result.Members)
        {
            response.WriteString(member.MemberId);
            if (version >= 5)
            {
                response.WriteNullableString(member.GroupInstanceId);
            }

            response.WriteBytes(member.Metadata);
        }

        return true;
    }
}
