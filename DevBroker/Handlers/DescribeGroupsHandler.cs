using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>DescribeGroups (key 15) v0–4: state, protocol and members, with their metadata and assignment bytes verbatim.</summary>
public sealed class DescribeGroupsHandler : IApiHandler
{
    // Kafka's "not requested" value for authorized operations (no ACLs here).
    private const int OperationsNotRequested = int.MinValue;

    public ApiKey Key => ApiKey.DescribeGroups;

    public short MinVersion => 0;

    public short MaxVersion => 4;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var version = context.Version;
        var groupIds = new string[body.ReadArrayCount()];
        for (var i = 0; i < groupIds.Length; i++)
        {
            groupIds[i] = body.ReadString();
        }

        if (version >= 3)
        {
            body.ReadBoolean();
        }

        var groups = context.Services.Get<GroupCoordinator>().Describe(groupIds);
        if (version >= 1)
        {
            response.WriteInt32(0);
        }

        response.WriteArrayLength(groups.Count);
        foreach (var group in groups)
        {
            response.WriteErrorCode(group.Error);
            response.WriteString(group.GroupId);
            response.WriteString(group.State);
            response.WriteString(group.ProtocolType);
            response.WriteString(group.ProtocolName);
            response.WriteArrayLength(group.Members.Count);
            foreach (var member in group.Members)
            {
                response.WriteString(member.MemberId);
                if (version >= 4)
                {
                    response.WriteNullableString(member.GroupInstanceId);
                }

                response.WriteString(member.ClientId);
                response.WriteString(member.ClientHost);
                response.WriteBytes(member.Metadata);
                response.WriteBytes(member.Assignment);
            }

            if (version >= 3)
            {
                response.WriteInt32(OperationsNotRequested);
            }
        }

        return ValueTask.FromResult(true);
    }
}
