using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>DeleteTopics (key 20) v0–3: removes topics and their logs.</summary>
public sealed class DeleteTopicsHandler : IApiHandler
{
    public ApiKey Key => ApiKey.DeleteTopics;

    public short MinVersion => 0;

    public short MaxVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var count = body.ReadArrayCount();
        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            names.Add(body.ReadString());
        }

        body.ReadInt32(); // timeout: deletion is immediate
        if (context.Version >= 1)
        {
            response.WriteInt32(0); // throttle time
        }

        response.WriteArrayLength(names.Count);
        foreach (var name in names)
        {
            response.WriteString(name);
            response.WriteErrorCode(context.Services.Cluster.DeleteTopic(name));
        }

        return ValueTask.FromResult(true);
    }
}
