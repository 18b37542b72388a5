using InventoryOrleans.DevBroker.Cluster;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>CreateTopics (key 19) v0–4: partition count (or explicit assignments), configs (cleanup.policy,
/// retention.ms, retention.bytes, …), validate-only; replication factor must be 1 or −1 (one broker).</summary>
public sealed class CreateTopicsHandler : IApiHandler
{
    public ApiKey Key => ApiKey.CreateTopics;

    public short MinVersion => 0;

    public short MaxVersion => 4;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var version = context.Version;
        var requests = new List<(string Name, int Partitions, short Replication, int Assignments, Dictionary<string, string?> Configs)>();
        var count = body.ReadArrayCount();
        for (var i = 0; i < count; i++)
        {
            var name = body.ReadString();
            var partitions = body.ReadInt32();
            var replication = body.ReadInt16();
            var assignments = body.ReadArrayCount();
            for (var a = 0; a < assignments; a++)
            {
                body.ReadInt32(); // partition index
                var brokers = body.ReadArrayCount();
                for (var b = 0; b < brokers; b++)
                {
                    body.ReadInt32();
                }
            }

            var configs = new Dictionary<string, string?>(StringComparer.Ordinal);
            var configCount = body.ReadArrayCount();
            for (var c = 0; c < configCount; c++)
            {
                var key = body.ReadString();
                configs[key] = body.ReadNullableString();
            }

            requests.Add((name, partitions, replication, assignments, configs));
        }

        body.ReadInt32(); // timeout: creation is immediate
        var validateOnly = version >= 1 && body.ReadBoolean();

        if (version >= 2)
        {
            response.WriteInt32(0); // throttle time
        }

        response.WriteArrayLength(requests.Count);
        foreach (var request in requests)
        {
            var (error, message) = Create(context.Services.Cluster, request.Name, request.Partitions, request.Replication, request.Assignments, request.Configs, validateOnly, requests);
            response.WriteString(request.Name);
            response.WriteErrorCode(error);
            if (version >= 1)
            {
                response.WriteNullableString(message);
            }
        }

        return ValueTask.FromResult(true);
    }

    private static (ErrorCode, string?) Create(
        ClusterState cluster,
        string name,
        int partitions,
        short replication,
        int assignments,
        Dictionary<string, string?> configs,
        bool validateOnly,
        List<(string Name, int Partitions, short Replication, int Assignments, Dictionary<string, string?> Configs)> all)
    {
        if (all.Count(r => r.Name == name) > 1)
        {
            return (ErrorCode.InvalidRequest, $"Topic '{name}' appears more than once in the request.");
        }

        if (assignments > 0)
        {
            if (partitions != -1 || replication != -1)
            {
                return (ErrorCode.InvalidRequest, "Give either replica assignments or partitions and replication factor, not both.");
            }

            partitions = assignments;
        }
        else if (replication is not (1 or -1))
        {
            return (ErrorCode.InvalidReplicationFactor, $"Replication factor {replication} is larger than the 1 available broker.");
        }

        var result = cluster.CreateTopic(name, partitions, configs, validateOnly);
        return (result.Error, result.Message);
    }
}
