using System.Globalization;
using InventoryOrleans.DevBroker.Cluster;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>DescribeConfigs (key 32) v0–2: topic configs (those set at creation over the broker's defaults) and a
/// few broker configs, enough for admin tools.</summary>
public sealed class DescribeConfigsHandler : IApiHandler
{
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;
    private const sbyte DynamicTopicConfig = 1;
    private const sbyte StaticBrokerConfig = 4;
    private const sbyte DefaultConfig = 5;

    public ApiKey Key => ApiKey.DescribeConfigs;

    public short MinVersion => 0;

    public short MaxVersion => 2;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var body = context.Body;
        var version = context.Version;
        var resources = new List<(sbyte Type, string Name, HashSet<string>? Keys)>();
        var count = body.ReadArrayCount();
        for (var i = 0; i < count; i++)
        {
            var type = body.ReadInt8();
            var name = body.ReadString();
            var keyCount = body.ReadArrayLength();
            HashSet<string>? keys = keyCount < 0 ? null : new HashSet<string>(StringComparer.Ordinal);
            for (var k = 0; k < keyCount; k++)
            {
                keys!.Add(body.ReadString());
            }

            resources.Add((type, name, keys));
        }

        var includeSynonyms = version >= 1 && body.ReadBoolean();
        response.WriteInt32(0); // throttle time
        response.WriteArrayLength(resources.Count);
        foreach (var (type, name, keys) in resources)
        {
            var (error, message, entries) = Describe(context.Services, type, name);
            response.WriteErrorCode(error);
            response.WriteNullableString(message);
            response.WriteInt8(type);
            response.WriteString(name);
            var selected = entries.Where(e => keys is null || keys.Contains(e.Name)).ToList();
            response.WriteArrayLength(selected.Count);
            foreach (var (configName, value, source) in selected)
            {
                response.WriteString(configName);
                response.WriteNullableString(value);
                response.WriteBoolean(type == BrokerResource); // read-only: broker configs cannot be altered here
                if (version == 0)
                {
                    response.WriteBoolean(source == DefaultConfig);
                }
                else
                {
                    response.WriteInt8(source);
                }

                response.WriteBoolean(false); // sensitive
                if (version >= 1)
                {
                    response.WriteArrayLength(includeSynonyms ? 1 : 0);
                    if (includeSynonyms)
                    {
                        response.WriteString(configName);
                        response.WriteNullableString(value);
                        response.WriteInt8(source);
                    }
                }
            }
        }

        return ValueTask.FromResult(true);
    }

    private static (ErrorCode, string?, List<(string Name, string? Value, sbyte Source)>) Describe(BrokerServices services, sbyte type, string name)
    {
        var options = services.Options;
        var entries = new List<(string, string?, sbyte)>();
        switch (type)
        {
            case TopicResource:
                var topic = services.Cluster.Find(name);
                if (topic is null)
                {
                    return (ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.", entries);
                }

                var defaults = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [TopicConfig.CleanupPolicy] = "delete",
                    [TopicConfig.RetentionMs] = Text(options.RetentionMs),
                    [TopicConfig.RetentionBytes] = Text(options.RetentionBytes),
                    [TopicConfig.SegmentBytes] = Text(options.SegmentBytes),
                    ["max.message.bytes"] = Text(options.MaxMessageBytes),
                    ["min.insync.replicas"] = "1",
                    ["message.timestamp.type"] = "CreateTime",
                    ["compression.type"] = "producer",
                    [TopicConfig.DeleteRetentionMs] = Text(TopicConfig.DefaultDeleteRetentionMs),
                    [TopicConfig.MinCompactionLagMs] = "0",
                };
                foreach (var key in defaults.Keys.Union(topic.Config.Entries.Keys).Order(StringComparer.Ordinal))
                {
                    entries.Add(topic.Config.Entries.TryGetValue(key, out var set)
                        ? (key, set, DynamicTopicConfig)
                        : (key, defaults[key], DefaultConfig));
                }

                return (ErrorCode.None, null, entries);

            case BrokerResource:
                if (name.Length > 0 && name != Text(options.NodeId))
                {
                    return (ErrorCode.InvalidRequest, $"Broker '{name}' is not this broker ({options.NodeId}).", entries);
                }

                entries.Add(("auto.create.topics.enable", options.AutoCreateTopics ? "true" : "false", StaticBrokerConfig));
                entries.Add(("broker.id", Text(options.NodeId), StaticBrokerConfig));
                entries.Add(("log.retention.bytes", Text(options.RetentionBytes), StaticBrokerConfig));
                entries.Add(("log.retention.ms", Text(options.RetentionMs), StaticBrokerConfig));
                entries.Add(("log.segment.bytes", Text(options.SegmentBytes), StaticBrokerConfig));
                entries.Add(("message.max.bytes", Text(options.MaxMessageBytes), StaticBrokerConfig));
                entries.Add(("num.partitions", Text(options.DefaultPartitions), StaticBrokerConfig));
                entries.Add(("socket.request.max.bytes", Text(options.MaxFrameBytes), StaticBrokerConfig));
                return (ErrorCode.None, null, entries);

            default:
                return (ErrorCode.InvalidRequest, $"Resource type {type} is not described by this broker.", entries);
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
