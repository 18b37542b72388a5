using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using Confluent.Kafka.Admin;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Kafka;

/// <summary>
/// Creates the topics of docs/CONTRACTS.md when missing, and the publication marks (<see cref="Topics.PublicationMarks"/>)
/// with the inputs' partition count, and checks that the input topics and the marks share one partition count — the
/// premise of "partition p of every input topic belongs to one silo".
/// </summary>
public sealed partial class TopicBootstrapper(IOptions<KafkaOptions> options, TimeProvider time, ILogger<TopicBootstrapper> logger)
{
    /// <summary>Ensures the topics exist and returns the input topics' partition count.</summary>
    /// <exception cref="InvalidOperationException">The broker stays unreachable, or the input topics' partition counts differ.</exception>
    public async Task<int> EnsureTopicsAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var config = new AdminClientConfig
        {
            BootstrapServers = settings.BootstrapServers,
            ClientId = ClientIds.For(settings, "admin"),
            SocketTimeoutMs = 10_000,
        };
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var deadline = time.GetUtcNow() + settings.StartupTimeout;
        var waited = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var partitions = await EnsureOnceAsync(admin, settings);
                if (waited)
                {
                    Log.BrokerReady(logger, settings.BootstrapServers);
                }

                return partitions;
            }
            catch (KafkaException e) when (time.GetUtcNow() < deadline)
            {
                // Retried every half second: one line when the wait starts, the retries at Debug.
                if (waited)
                {
                    Log.BrokerStillNotReady(logger, settings.BootstrapServers, e.Error.Reason);
                }
                else
                {
                    Log.BrokerNotReady(logger, settings.BootstrapServers, e.Error.Reason);
                }

                waited = true;
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
            }
            catch (KafkaException e)
            {
                throw new InvalidOperationException(
                    $"The Kafka broker at '{settings.BootstrapServers}' did not answer within {settings.StartupTimeout.TotalSeconds:0.###} s ({e.Error.Reason}). " +
                    "Start the broker, fix Kafka__BootstrapServers, or unset it to use the embedded DevBroker.", e);
            }
        }
    }

    private async Task<int> EnsureOnceAsync(IAdminClient admin, KafkaOptions settings)
    {
        var existing = Describe(admin);
        var missing = AllTopics(settings.Partitions).Where(t => !existing.ContainsKey(t.Name)).ToList();
        if (missing.Count > 0)
        {
            try
            {
                await admin.CreateTopicsAsync(missing, new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
                foreach (var topic in missing)
                {
                    Log.TopicCreated(logger, topic.Name, topic.NumPartitions);
                }
            }
            catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
            {
                // Another silo created them at the same moment: fine.
            }

            existing = Describe(admin);
        }

        var counts = Topics.Inputs.Select(t => (Topic: t, Partitions: existing.GetValueOrDefault(t))).ToList();
        if (counts.Any(c => c.Partitions == 0))
        {
            throw new KafkaException(new Error(ErrorCode.UnknownTopicOrPart, "input topics not visible in metadata yet"));
        }

        if (counts.Select(c => c.Partitions).Distinct().Count() != 1)
        {
            throw new InvalidOperationException(
                "The input topics must share one partition count so that partition p of every input topic belongs to the same silo, but they have " +
                string.Join(", ", counts.Select(c => $"{c.Topic}={c.Partitions}")) +
                ". Add partitions to the smaller topics (kafka-topics --alter --partitions N) or recreate them with the same count; the silo will not start until then.");
        }

        var inputPartitions = counts[0].Partitions;
        if (!existing.ContainsKey(Topics.PublicationMarks))
        {
            await CreateMarksAsync(admin, inputPartitions);
            existing = Describe(admin);
        }

        var marks = existing.GetValueOrDefault(Topics.PublicationMarks);
        if (marks == 0)
        {
            throw new KafkaException(new Error(ErrorCode.UnknownTopicOrPart, "the publication marks topic is not visible in metadata yet"));
        }

        if (marks != inputPartitions)
        {
            throw new InvalidOperationException(
                $"The topic {Topics.PublicationMarks} must have the input topics' partition count ({inputPartitions}) so that its partition p goes to the owner of input partition p, but it has {marks}. " +
                $"It holds no records: delete it (kafka-topics --delete --topic {Topics.PublicationMarks}) and start a silo, which creates it right, or add partitions to match.");
        }

        return inputPartitions;
    }

    private async Task CreateMarksAsync(IAdminClient admin, int partitions)
    {
        try
        {
            await admin.CreateTopicsAsync(
                [new TopicSpecification { Name = Topics.PublicationMarks, NumPartitions = partitions, ReplicationFactor = -1 }],
                new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
            Log.TopicCreated(logger, Topics.PublicationMarks, partitions);
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
        }
    }

    private static Dictionary<string, int> Describe(IAdminClient admin)
    {
        // The all-topics metadata request never auto-creates a topic (a per-topic request may, with 1 partition).
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        return metadata.Topics
            .Where(t => t.Error.Code == ErrorCode.NoError)
            .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
    }

    private static IEnumerable<TopicSpecification> AllTopics(int partitions)
    {
        foreach (var input in Topics.Inputs)
        {
            yield return new TopicSpecification { Name = input, NumPartitions = partitions, ReplicationFactor = -1 };
        }

        yield return new TopicSpecification
        {
            Name = Topics.NetStock,
            NumPartitions = partitions,
            ReplicationFactor = -1,
            Configs = new Dictionary<string, string>
            {
                ["cleanup.policy"] = "compact",

                // Compaction cleans sealed segments only: rolling every hour (Kafka's default is a week, or 1 GiB) lets a
                // reader from the start get little more than each product's newest stock.
                ["segment.ms"] = "3600000",
            },
        };
        yield return new TopicSpecification { Name = Topics.Outcomes, NumPartitions = partitions, ReplicationFactor = -1 };
        yield return new TopicSpecification { Name = Topics.DeadLetter, NumPartitions = partitions, ReplicationFactor = -1 };
        yield return new TopicSpecification { Name = Topics.Alerts, NumPartitions = partitions, ReplicationFactor = -1 };
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka broker {BootstrapServers} not ready yet: {Reason}")]
        public static partial void BrokerNotReady(ILogger logger, string? bootstrapServers, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Kafka broker {BootstrapServers} still not ready: {Reason}")]
        public static partial void BrokerStillNotReady(ILogger logger, string? bootstrapServers, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Kafka broker {BootstrapServers} ready")]
        public static partial void BrokerReady(ILogger logger, string? bootstrapServers);

        [LoggerMessage(Level = LogLevel.Information, Message = "Created topic {Topic} with {Partitions} partitions")]
        public static partial void TopicCreated(ILogger logger, string topic, int partitions);
    }
}
