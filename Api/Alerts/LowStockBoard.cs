using System.Collections.Concurrent;
using System.Text.Json;
using Confluent.Kafka;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Grains.Interfaces;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Alerts;

/// <summary>
/// Which products are low right now, read from <c>inventory.alerts</c> (the contract's own record of every crossing):
/// each host reads the topic from its start and keeps each product's latest alert by version; a product whose latest
/// alert is <c>Low</c> is on the board. Reading the topic rather than asking grains keeps the ingest's write path free
/// of any index. The board covers the topic's retention (a product low for longer than that, with no change since,
/// drops off when its alert is deleted).
/// </summary>
public sealed partial class LowStockBoard(IOptions<ApiKafkaOptions> kafka, ILogger<LowStockBoard> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, (long Version, LowStockEntry? Low)> _latest = new(StringComparer.Ordinal);

    /// <summary>The products that are low, by productId.</summary>
    public IReadOnlyList<LowStockEntry> Low => [.. _latest.Values.Select(v => v.Low).OfType<LowStockEntry>().OrderBy(e => e.ProductId, StringComparer.Ordinal)];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var config = new ConsumerConfig
        {
            // Only what committed transactions wrote (aborted attempts of a silo that failed are never seen).
            IsolationLevel = IsolationLevel.ReadCommitted,
            BootstrapServers = kafka.Value.BootstrapServers,

            // Partitions are assigned by hand and nothing is committed: every host reads the whole topic.
            GroupId = "inventory-low-stock-board",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            ClientId = string.IsNullOrEmpty(kafka.Value.ClientId) ? "inventory-api-alerts" : $"{kafka.Value.ClientId}-alerts",
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
                    Take(value);
                }
            }
            catch (KafkaException e)
            {
                Log.ReadFailed(logger, e.Error.Reason);
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }

        consumer.Close();
    }

    private bool TryAssign(IConsumer<byte[], byte[]> consumer)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.Value.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        var topic = admin.GetMetadata(Topics.Alerts, TimeSpan.FromSeconds(5)).Topics.SingleOrDefault(t => t.Topic == Topics.Alerts);
        if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
        {
            // The silos create the topic at start; until then there is nothing to read.
            return false;
        }

        consumer.Assign(topic.Partitions.Select(p => new TopicPartitionOffset(Topics.Alerts, p.PartitionId, Offset.Beginning)));
        return true;
    }

    private void Take(byte[] value)
    {
        try
        {
            var alert = JsonDocument.Parse(value).RootElement;
            var productId = alert.GetProperty("productId").GetString()!;
            var version = alert.GetProperty("version").GetInt64();
            var entry = alert.GetProperty("state").GetString() == "Low"
                ? new LowStockEntry(productId, alert.GetProperty("available").GetInt64(), alert.GetProperty("threshold").GetInt64(), version, alert.GetProperty("at").GetString()!)
                : null;
            _latest.AddOrUpdate(productId, (version, entry), (_, current) => version >= current.Version ? (version, entry) : current);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Only the silos write this topic; a record the board cannot read is skipped, not fatal.
            Log.Unreadable(logger, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Reading inventory.alerts for the low-stock board failed ({Reason}); retrying")]
        public static partial void ReadFailed(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped an unreadable record on inventory.alerts: {Problem}")]
        public static partial void Unreadable(ILogger logger, string problem);
    }
}
