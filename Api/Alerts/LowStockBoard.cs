using System.Diagnostics.Metrics;
using System.Text.Json;
using Confluent.Kafka;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Api.Telemetry;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Alerts;

/// <summary>
/// Which products are low right now, read from <c>inventory.alerts</c> (the contract's own record of every crossing, JSON or Avro
/// record by record):
/// each host reads the topic from its start and folds it into a <see cref="LowStockBook"/>, which keeps the products
/// whose latest alert is <c>Low</c> and forgets those that recovered. Reading the topic rather than asking grains keeps
/// the ingest's write path free of any index. The board covers the topic's retention (a product low for longer than
/// that, with no change since, drops off when its alert is deleted). Exports how many products it holds
/// (<c>inventory.low_stock.products</c>).
/// </summary>
public sealed partial class LowStockBoard : BackgroundService
{
    private readonly LowStockBook _book = new();
    private readonly IOptions<KafkaOptions> _kafka;
    private readonly ILogger<LowStockBoard> _logger;
    private readonly RegistrySchemas _registry;

    public LowStockBoard(IOptions<KafkaOptions> kafka, RegistrySchemas registry, IMeterFactory meters, ILogger<LowStockBoard> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _kafka = kafka;
        _logger = logger;
        _registry = registry;
        meters.Create(ApiMeter.Name).CreateObservableGauge(
            "inventory.low_stock.products",
            () => _book.Count,
            "{product}",
            "Products the low-stock board of this host holds: those whose latest alert on inventory.alerts is Low");
    }

    /// <summary>The products that are low, by productId.</summary>
    public IReadOnlyList<LowStockEntry> Low => _book.Low;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var config = new ConsumerConfig
        {
            // Only what committed transactions wrote (aborted attempts of a silo that failed are never seen).
            IsolationLevel = IsolationLevel.ReadCommitted,
            BootstrapServers = _kafka.Value.BootstrapServers,

            // Partitions are assigned by hand and nothing is committed: every host reads the whole topic.
            GroupId = "inventory-low-stock-board",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            ClientId = string.IsNullOrEmpty(_kafka.Value.ClientId) ? "inventory-api-alerts" : $"{_kafka.Value.ClientId}-alerts",
        };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        var assigned = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!assigned)
                {
                    assigned = TryAssign(consumer);
                    if (!assigned)
                    {
                        stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                        continue;
                    }
                }

                if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { Message.Value: { } value })
                {
                    Take(value, stoppingToken);
                }
            }
            catch (KafkaException e)
            {
                Log.ReadFailed(_logger, e.Error.Reason);
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }

        consumer.Close();
    }

    private bool TryAssign(IConsumer<byte[], byte[]> consumer)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _kafka.Value.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        var topic = admin.GetMetadata(Topics.Alerts, TimeSpan.FromSeconds(5)).Topics.SingleOrDefault(t => t.Topic == Topics.Alerts);
        if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
        {
            // The silos create the topic at start; until then there is nothing to read.
            return false;
        }

        consumer.Assign(topic.Partitions.Select(p => new TopicPartitionOffset(Topics.Alerts, p.PartitionId, Offset.Beginning)));
        return true;
    }

    private void Take(byte[] value, CancellationToken stoppingToken)
    {
        try
        {
            _book.Take(ConfluentFrame.IsFramed(value) ? AlertJson(value, stoppingToken) : value);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Only the silos write this topic; a record the board cannot read is skipped, not fatal.
            Log.Unreadable(_logger, e.Message);
        }
    }

    // With Kafka:OutputFormat=avro the silos write alerts as Confluent-framed Avro: read back into the JSON the book
    // keeps. A registry that cannot be reached is waited out on this record, so no alert is skipped for it.
    private byte[] AlertJson(byte[] value, CancellationToken stoppingToken) =>
        RecordSerializer.Alert(AvroRecords.ToAlert(AvroRecordCodec.ReadWaitingOutOutages(_registry, value, AvroSchemas.LowStockAlert.Schema, problem => Log.ReadFailed(_logger, problem), stoppingToken)));

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Reading inventory.alerts for the low-stock board failed ({Reason}); retrying")]
        public static partial void ReadFailed(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped an unreadable record on inventory.alerts: {Problem}")]
        public static partial void Unreadable(ILogger logger, string problem);
    }
}
