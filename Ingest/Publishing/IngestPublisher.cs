using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Publishing;

/// <summary>
/// The silo's one idempotent producer (acks=all, murmur2_random): writes outcomes, net stock and dead letters and
/// waits for every delivery report, so the pipeline commits offsets only after its output is durable.
/// </summary>
public sealed partial class IngestPublisher : IDisposable
{
    private readonly KafkaOptions _options;
    private readonly IngestMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestPublisher> _logger;
    private readonly Lock _gate = new();
    private IProducer<byte[], byte[]>? _producer;
    private bool _disposed;
    private int _brokerDown;

    public IngestPublisher(IOptions<KafkaOptions> options, IngestMetrics metrics, TimeProvider time, ILogger<IngestPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Produces every message and waits for its delivery report. Returns the messages that failed (empty when all
    /// are durable) and the last error; the caller retries just those, so nothing already written is written twice.
    /// </summary>
    public async Task<PublishResult> PublishAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return PublishResult.Success;
        }

        var started = _time.GetTimestamp();
        var producer = CurrentProducer();
        var pending = new PendingDeliveries(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var outgoing = messages[i];
            var message = new Message<byte[], byte[]> { Key = outgoing.Key, Value = outgoing.Value, Headers = outgoing.Headers ?? ProducedRecordParts.NoHeaders };
            while (true)
            {
                try
                {
                    producer.Produce(ProducedRecordParts.AnyPartitionOf(outgoing.Topic), message, report => pending.Complete(outgoing, report.Error));
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // The local queue drains as the broker acknowledges; wait for room rather than failing the batch.
                    cancellationToken.ThrowIfCancellationRequested();
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
                catch (ProduceException<byte[], byte[]> e)
                {
                    pending.Complete(outgoing, e.Error);
                    break;
                }
                catch (ObjectDisposedException)
                {
                    pending.Complete(outgoing, new Error(ErrorCode.Local_Destroy, "the producer was replaced"));
                    break;
                }
            }
        }

        var result = await pending.Task.WaitAsync(cancellationToken);
        _metrics.RecordPublish(_time.GetElapsedTime(started), result.LastError?.Code.ToString());
        if (result.LastError is { IsFatal: true })
        {
            Replace(producer, result.LastError);
        }

        if (result.Succeeded && Interlocked.Exchange(ref _brokerDown, 0) == 1)
        {
            Log.BrokerBack(_logger);
        }

        return result;
    }

    private IProducer<byte[], byte[]> CurrentProducer()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // Built on first use: in the embedded mode the broker starts after this object is constructed.
            return _producer ??= Build();
        }
    }

    // An idempotent producer whose sequence state broke (fatal error) cannot go on; a fresh one gets a new producer id.
    private void Replace(IProducer<byte[], byte[]> broken, Error error)
    {
        lock (_gate)
        {
            if (_disposed || !ReferenceEquals(_producer, broken))
            {
                return;
            }

            Log.ProducerReplaced(_logger, error.Reason);
            _producer = Build();
        }

        broken.Dispose();
    }

    private IProducer<byte[], byte[]> Build()
    {
        var config = new ProducerConfig
        {
            BootstrapServers = _options.BootstrapServers,
            ClientId = ClientIds.For(_options, "producer"),
            EnableIdempotence = true,
            Acks = Acks.All,
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = _options.ProducerLinger.TotalMilliseconds,
            BatchNumMessages = 10_000,
            QueueBufferingMaxMessages = 1_000_000,
            // Dead letters are copied unchanged, including messages over the 1 MiB event limit.
            MessageMaxBytes = 16 * 1024 * 1024,
            QueueBufferingMaxKbytes = 1_048_576,
            CompressionType = CompressionType.None,
            EnableDeliveryReports = true,
            DeliveryReportFields = "none",
        };
        return new ProducerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, message) => Log.Librdkafka(_logger, message.Facility, message.Message))
            .SetErrorHandler((_, error) => OnError(error))
            .Build();
    }

    // librdkafka repeats connection errors on every reconnect attempt; log the change of state, not each retry.
    private void OnError(Error error)
    {
        if (error.IsFatal)
        {
            Log.ProducerError(_logger, error.Code, error.Reason);
        }
        else if (error.Code is not (ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Transport))
        {
            Log.ProducerWarning(_logger, error.Code, error.Reason);
        }
        else if (Interlocked.Exchange(ref _brokerDown, 1) == 0)
        {
            Log.ProducerError(_logger, error.Code, error.Reason);
        }
    }

    public void Dispose()
    {
        IProducer<byte[], byte[]>? producer;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            producer = _producer;
        }

        producer?.Dispose();
    }

    private sealed class PendingDeliveries(int count)
    {
        private readonly TaskCompletionSource<PublishResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<OutgoingMessage> _failed = [];
        private Error? _lastError;
        private int _remaining = count;

        public Task<PublishResult> Task => _done.Task;

        public void Complete(OutgoingMessage message, Error error)
        {
            if (error.IsError)
            {
                lock (_failed)
                {
                    _failed.Add(message);
                    _lastError = error;
                }
            }

            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                lock (_failed)
                {
                    _done.TrySetResult(_failed.Count == 0 ? PublishResult.Success : new PublishResult(_failed.ToArray(), _lastError));
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka producer error {Code}: {Reason}")]
        public static partial void ProducerError(ILogger logger, ErrorCode code, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Kafka producer reports {Code}: {Reason}")]
        public static partial void ProducerWarning(ILogger logger, ErrorCode code, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Kafka producer delivers again")]
        public static partial void BrokerBack(ILogger logger);

        [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka producer [{Facility}] {Message}")]
        public static partial void Librdkafka(ILogger logger, string facility, string message);

        [LoggerMessage(Level = LogLevel.Error, Message = "The idempotent producer failed fatally ({Reason}); replacing it")]
        public static partial void ProducerReplaced(ILogger logger, string reason);
    }
}
