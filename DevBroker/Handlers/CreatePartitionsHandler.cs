using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>CreatePartitions (key 37) v0–1: grows a topic's partition count (validate-only supported).</summary>
public sealed class CreatePartitionsHandler : IApiHandler
{
    public ApiKey Key => ApiKey.CreatePartitions;

    public short MinVersion => 0;

    public short MaxVersion => 1;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var requests = new List<(string Name, int Count)>();
        var count = body.ReadArrayCount();
        for (var i = 0; i < count; i++)
        {
            var name = body.ReadString();
            var partitions = body.ReadInt32();
            var assignments = body.ReadArrayLength();
            for (var a = 0; a < assignments; a++)
            {
                var brokers = body.ReadArrayCount();
                for (var b = 0; b < brokers; b++)
                {
                    body.ReadInt32(); // one broker: every replica is this one
                }
            }

            requests.Add((name, partitions));
        }

        body.ReadInt32(); // timeout: immediate
        var validateOnly = body.ReadBoolean();

        response.WriteInt32(0); // throttle time
        response.WriteArrayLength(requests.Count);
        foreach (var (name, partitions) in requests)
        {
            var (error, message) = context.Services.Cluster.AddPartitions(name, partitions, validateOnly);
            response.WriteString(name);
            response.WriteErrorCode(error);
            response.WriteNullableString(message);
        }

        return ValueTask.FromResult(true);
    }
}
