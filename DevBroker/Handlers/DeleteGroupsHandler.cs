using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>DeleteGroups (key 42) v0–1: removes groups without members, with their committed offsets (NON_EMPTY_GROUP otherwise).</summary>
public sealed class DeleteGroupsHandler : IApiHandler
{
    public ApiKey Key => ApiKey.DeleteGroups;

    public short MinVersion => 0;

    public short MaxVersion => 1;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var groupIds = new string[body.ReadArrayCount()];
        for (var i = 0; i < groupIds.Length; i++)
        {
            groupIds[i] = body.ReadString();
        }

        var errors = context.Services.Get<GroupCoordinator>().Delete(groupIds);
        response.WriteInt32(0);
        response.WriteArrayLength(groupIds.Length);
        for (var i = 0; i < groupIds.Length; i++)
        {
            response.WriteString(groupIds[i]);
            response.WriteErrorCode(errors[i]);
        }

        return ValueTask.FromResult(true);
    }
}
