using InventoryOrleans.DevBroker.Cluster;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>Metadata (key 3) v0–8: this one broker, which leads every partition and is the controller; topics,
/// auto-created when enabled and (v4+) allowed by the client.</summary>
public sealed class MetadataHandler : IApiHandler
{
    public ApiKey Key => ApiKey.Metadata;

    public short MinVersion => 0;

    public short MaxVersion => 8;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var version = context.Version;
        var count = body.ReadArrayLength();
        List<string>? requested = null;

        // v0: an empty list means all topics; v1+: null means all, empty means none.
        if (count > 0 || (count == 0 && version >= 1))
        {
            requested = new List<string>(count);
            for (var i = 0; i < count; i++)
            {
                requested.Add(body.ReadString());
            }
        }

        var allowAutoCreate = version < 4 || body.ReadBoolean();
        if (version >= 8)
        {
            body.ReadBoolean(); // include cluster authorized operations
            body.ReadBoolean(); // include topic authorized operations
        }

        var services = context.Services;
        var options = services.Options;
        if (version >= 3)
        {
            response.WriteInt32(0); // throttle time
        }

        response.WriteArrayLength(1);
        response.WriteInt32(options.NodeId);
        response.WriteString(options.EffectiveAdvertisedHost);
        response.WriteInt32(options.Port);
        if (version >= 1)
        {
            response.WriteNullableString(null); // rack
        }

        if (version >= 2)
        {
            response.WriteNullableString(options.ClusterId);
        }

        if (version >= 1)
        {
            response.WriteInt32(options.NodeId); // controller: itself (kafkajs asks it for producer ids)
        }

        if (requested is null)
        {
            var topics = services.Cluster.Topics;
            response.WriteArrayLength(topics.Count);
            foreach (var topic in topics)
            {
                WriteTopic(response, version, options.NodeId, topic.Name, topic, ErrorCode.None);
            }
        }
        else
        {
            response.WriteArrayLength(requested.Count);
            foreach (var name in requested)
            {
                var topic = services.Cluster.FindOrAutoCreate(name, allowAutoCreate);
                var error = topic is not null ? ErrorCode.None
                    : TopicNames.Problem(name) is not null ? ErrorCode.InvalidTopicException
                    : ErrorCode.UnknownTopicOrPartition;
                WriteTopic(response, version, options.NodeId, name, topic, error);
            }
        }

        if (version >= 8)
        {
            response.WriteInt32(int.MinValue); // cluster authorized operations: not computed
        }

        return ValueTask.FromResult(true);
    }

    private static void WriteTopic(KafkaWriter response, short version, int nodeId, string name, Topic? topic, ErrorCode error)
    {
        response.WriteErrorCode(error);
        response.WriteString(name);
        if (version >= 1)
        {
            response.WriteBoolean(false); // internal
        }

        var partitions = topic?.PartitionCount ?? 0;
        response.WriteArrayLength(partitions);
        for (var p = 0; p < partitions; p++)
        {
            response.WriteErrorCode(ErrorCode.None);
            response.WriteInt32(p);
            response.WriteInt32(nodeId); // leader
            if (version >= 7)
            {
                response.WriteInt32(0); // leader epoch
            }

            response.WriteArrayLength(1); // replicas
            response.WriteInt32(nodeId);
            response.WriteArrayLength(1); // in-sync replicas
            response.WriteInt32(nodeId);
            if (version >= 5)
            {
                response.WriteArrayLength(0); // offline replicas
            }
        }

        if (version >= 8)
        {
            response.WriteInt32(int.MinValue); // topic authorized operations: not computed
        }
    }
}
