using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Avro;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Watching;

/// <summary>
/// The host's one reader of <c>inventory.net-stock</c> for live changes: a <c>read_committed</c> consumer, so a watcher
/// sees only what committed transactions wrote (an aborted batch's net stock never shows; its retry's does), over every
/// partition assigned by hand from the end, with nothing committed to any group: each host reads the whole tail for its
/// own watchers. Every net stock read goes to the <see cref="StockChangeHub"/>. Where it is in each partition is kept in
/// memory, so a consumer built again after a fatal error goes on where the last one stopped; a broker outage is waited
/// out by the client itself, which fetches on from its position once the broker is back.
/// </summary>
public sealed partial class NetStockTail : BackgroundService
{
    private readonly StockChangeHub _hub;
    private readonly IOptions<KafkaOptions> _kafka;
    private readonly RegistrySchemas _registry;
    private readonly ILogger<NetStockTail> _logger;
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The next offset to read per partition: where the tail started, then after each record read.
    private readonly Dictionary<int, long> _positions = [];
    private long _records;

    public NetStockTail(StockChangeHub hub, IOptions<KafkaOptions> kafka, RegistrySchemas registry, ILogger<NetStockTail> logger)
    {
        _hub = hub;
        _kafka = kafka;
        _registry = registry;
        _logger = logger;
    }

    /// <summary>Completes once the tail knows where it starts in every partition: what committed after that reaches the hub.</summary>
    public Task Reading => _reading.Task;

    /// <summary>How many net-stock records the tail has read.</summary>
    public long RecordsRead => Interlocked.Read(ref _records);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using var consumer = Build();
            try
            {
                Tail(consumer, stoppingToken);
            }
            catch (KafkaException e) when (e.Error.IsFatal)
            {
                // The client cannot go on; a new one starts from the positions kept here, so nothing committed is skipped.
                Log.Rebuilt(_logger, e.Error.Reason);
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping.
            }
        }
    }

    private IConsumer<byte[], byte[]> Build()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _kafka.Value.BootstrapServers,

            // Only what committed transactions wrote: a batch whose transaction aborted is never shown to a watcher.
            IsolationLevel = IsolationLevel.ReadCommitted,

            // Partitions are assigned by hand, so the group id only names the client to the broker: no member joins a
            // group and no offset is ever committed (a broadcast: every host reads every partition on its own).
            GroupId = "inventory-api-watch",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Latest,

            // A change should reach watchers in milliseconds: the broker answers a fetch as soon as a record is
            // committed; this bounds how long an empty fetch is held, not how late a change is.
            FetchWaitMaxMs = 100,
            ClientId = string.IsNullOrEmpty(_kafka.Value.ClientId) ? "inventory-api-watch" : $"{_kafka.Value.ClientId}-watch",
        };
        return new ConsumerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal || !error.IsLocalError)
                {
                    Log.ClientError(_logger, error.Reason);
                }
            })
            .Build();
    }

    private void Tail(IConsumer<byte[], byte[]> consumer, CancellationToken stoppingToken)
    {
        while (!TryAssign(consumer))
        {
            if (stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1)))
            {
                return;
            }
        }

        _reading.TrySetResult();
        while (!stoppingToken.IsCancellationRequested)
        {
            ConsumeResult<byte[], byte[]>? record;
            try
            {
                record = consumer.Consume(TimeSpan.FromMilliseconds(500));
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                Log.ReadFailed(_logger, e.Error.Reason);
                continue;
            }

            if (record is not { Message: { } message })
            {
                continue;
            }

            _positions[record.Partition.Value] = record.Offset.Value + 1;
            Interlocked.Increment(ref _records);
            // Read only for a product watched on this host: most records are not, and reading one (JSON or Avro) is
            // what costs. A watch that subscribes after this record reads the grain's stock, which has it already.
            if (message.Value is { } value && IsWatched(message.Key) && Read(value, stoppingToken) is { } stock)
            {
                _hub.Publish(stock);
            }
        }
    }

    // The record's key is its productId (UTF-8), as the ingest writes it.
    private bool IsWatched(byte[]? key) => _hub.Count > 0 && key is { Length: > 0 } && _hub.SubscribersOf(Encoding.UTF8.GetString(key)) > 0;

    // Every partition from where this tail stands in it, or — the first time — from its end as a read_committed reader
    // sees it (the last stable offset: whatever commits after this goes to the watchers).
    private bool TryAssign(IConsumer<byte[], byte[]> consumer)
    {
        try
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _kafka.Value.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
            var topic = admin.GetMetadata(Topics.NetStock, TimeSpan.FromSeconds(5)).Topics.SingleOrDefault(t => t.Topic == Topics.NetStock);
            if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
            {
                // The silos create the topic at start; until then there is nothing to read.
                return false;
            }

            var assignment = new List<TopicPartitionOffset>();
            foreach (var partition in topic.Partitions.Select(p => p.PartitionId).Order())
            {
                if (!_positions.TryGetValue(partition, out var position))
                {
                    position = consumer.QueryWatermarkOffsets(new TopicPartition(Topics.NetStock, partition), TimeSpan.FromSeconds(5)).High.Value;
                    _positions[partition] = position;
                }

                assignment.Add(new TopicPartitionOffset(Topics.NetStock, partition, position));
            }

            consumer.Assign(assignment);
            Log.Started(_logger, assignment.Count);
            return true;
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            Log.ReadFailed(_logger, e.Error.Reason);
            return false;
        }
    }

    private StockView? Read(byte[] value, CancellationToken stoppingToken)
    {
        try
        {
            return ConfluentFrame.IsFramed(value) ? ReadAvro(value, stoppingToken) : NetStockJson.Read(value);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidCastException or KeyNotFoundException or InvalidOperationException or Avro.AvroException)
        {
            // Only the silos write this topic; a record the tail cannot read is skipped, not fatal.
            Log.Unreadable(_logger, e.Message);
            return null;
        }
    }

    // With Kafka:OutputFormat=avro the silos write net stock as Confluent-framed Avro. A registry that cannot be reached
    // is waited out on this record, so no change is skipped for it.
    private StockView ReadAvro(byte[] value, CancellationToken stoppingToken) =>
        AvroRecords.ToNetStock(AvroRecordCodec.ReadWaitingOutOutages(_registry, value, AvroSchemas.NetStock.Schema, problem => Log.ReadFailed(_logger, problem), stoppingToken));

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "The live change tail reads inventory.net-stock (read_committed, {Partitions} partitions)")]
        public static partial void Started(ILogger logger, int partitions);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Reading inventory.net-stock for live changes failed ({Reason}); retrying")]
        public static partial void ReadFailed(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The live change tail's Kafka client reports: {Reason}")]
        public static partial void ClientError(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The live change tail's Kafka client failed ({Reason}); a new one goes on from the same positions")]
        public static partial void Rebuilt(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped an unreadable record on inventory.net-stock: {Problem}")]
        public static partial void Unreadable(ILogger logger, string problem);
    }
}
