using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Kafka;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>Writes an <see cref="IEventStream"/> (e.g. <see cref="StreamGenerator"/>) through Confluent.Kafka (murmur2 partitioner, idempotent) at a fixed rate.</summary>
public sealed class EventFeeder : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly IProducer<byte[], byte[]> _producer;
    private readonly IEventStream _generator;

    private readonly AvroEventValues? _avro;

    /// <param name="avro">Writes Confluent-framed Avro instead of JSON when given.</param>
    public EventFeeder(string bootstrap, IEventStream generator, AvroEventValues? avro = null)
    {
        _generator = generator;
        _avro = avro;
        _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = 2,
            BatchNumMessages = 10_000,
            QueueBufferingMaxMessages = 2_000_000,
        }).SetLogHandler((_, _) => { }).Build();
    }

    /// <summary>Called with (eventId, Stopwatch timestamp) when an event is handed to the producer.</summary>
    public Action<string, long>? OnProduced { get; set; }

    /// <summary>Produces <paramref name="rate"/> events per second (0: as fast as possible) until <paramref name="count"/> or <paramref name="duration"/>.</summary>
    public long Feed(int rate, TimeSpan duration, long count = long.MaxValue, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (sent < count && clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
        {
            // Send what is due by now, in small slices, so the rate is steady rather than bursty per second.
            var due = rate <= 0 ? Math.Min(count, sent + 10_000) : Math.Min(count, (long)(clock.Elapsed.TotalSeconds * rate) + 1);
            if (sent >= due)
            {
                Thread.Sleep(1);
                continue;
            }

            var now = DateTimeOffset.UtcNow;
            for (; sent < due; sent++)
            {
                var (topic, e) = _generator.Next(now);
                Produce(topic, e);
            }
        }

        _producer.Flush(TimeSpan.FromSeconds(60));
        return sent;
    }

    private void Produce(string topic, InventoryEvent e)
    {
        var message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(e.ProductId), Value = _avro?.Encode(topic, e) ?? JsonSerializer.SerializeToUtf8Bytes(e, Json) };
        while (true)
        {
            try
            {
                OnProduced?.Invoke(e.EventId, Stopwatch.GetTimestamp());
                _producer.Produce(topic, message);
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(10));
            }
        }
    }

    public void Dispose() => _producer.Dispose();
}
