using Confluent.Kafka;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Api.Telemetry;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Posting;

/// <summary>
/// The API's idempotent Kafka producer (acks=all, murmur2 partitioner, like every producer of the input topics):
/// one per host, built on first use, answers with where the record landed.
/// </summary>
public sealed partial class EventProducer(IOptions<KafkaOptions> options, ILogger<EventProducer> logger) : IDisposable
{
    private readonly Lazy<IProducer<byte[], byte[]>> _producer = new(() => Build(options.Value, logger));

    /// <summary>
    /// Produces one record and waits for the broker's acknowledgement, in a <c>send {topic}</c> span whose context the
    /// record carries in its headers (<see cref="KafkaTraceHeaders"/>) when the API's spans are listened to.
    /// </summary>
    /// <exception cref="ProduceException{TKey, TValue}">The broker refused or could not be reached in time.</exception>
    public async Task<TopicPartitionOffset> ProduceAsync(string topic, byte[] key, byte[] value, CancellationToken cancellationToken)
    {
        using var span = ProducerSpan.Start(topic, key);
        try
        {
            var message = new Message<byte[], byte[]> { Key = key, Value = value, Headers = KafkaTraceHeaders.For(span) };
            var delivery = await _producer.Value.ProduceAsync(topic, message, cancellationToken);
            ProducerSpan.Delivered(span, delivery.TopicPartitionOffset);
            return delivery.TopicPartitionOffset;
        }
        catch (ProduceException<byte[], byte[]> e)
        {
            ProducerSpan.Failed(span, e.Error);
            throw;
        }
    }

    private static IProducer<byte[], byte[]> Build(KafkaOptions options, ILogger logger)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = string.IsNullOrEmpty(options.ClientId) ? "inventory-api" : $"{options.ClientId}-api",
            EnableIdempotence = true,
            Acks = Acks.All,
            Partitioner = Partitioner.Murmur2Random,

            // A posted event is one record a caller waits for: send it at once.
            LingerMs = 0,

            // Fail a post within a bounded time while the broker is out, instead of holding the request open.
            MessageTimeoutMs = options.ProduceTimeout.ToKafkaMilliseconds(),

            // librdkafka refuses records over 1,000,000 bytes by default, below the 1 MiB an event may be: leave room
            // for the largest valid event plus its key and the record overhead.
            MessageMaxBytes = InventoryEventParser.MaxMessageBytes + (64 * 1024),
        };
        return new ProducerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, message) => Log.Librdkafka(logger, message.Facility, message.Message))
            .SetErrorHandler((_, error) => Log.ProducerError(logger, error.Reason))
            .Build();
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(5));
            _producer.Value.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka API producer [{Facility}] {Message}")]
        public static partial void Librdkafka(ILogger logger, string facility, string message);

        [LoggerMessage(Level = LogLevel.Warning, Message = "API producer: {Reason}")]
        public static partial void ProducerError(ILogger logger, string reason);
    }
}
