using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>ListGroups (key 16) v0–2: every group with its protocol type ("" for groups that only hold commits).</summary>
public sealed class ListGroupsHandler : IApiHandler
{
    public ApiKey Key => ApiKey.ListGroups;

    public short MinVersion => 0;

    public short MaxVersion => 2;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var groups = context.Services.Get<GroupCoordinator>().List();
        if (context.Version >= 1)
        {
            response.WriteInt32(0);
        }

        response.WriteErrorCode(ErrorCode.None);
        response.WriteArrayLength(groups.Count);
        foreach (var group in groups)
        {
            response.WriteString(group.GroupId);
            response.WriteString(group.ProtocolType);
        }

        return ValueTask.FromResult(true);
    }
}
