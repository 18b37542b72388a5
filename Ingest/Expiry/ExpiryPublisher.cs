using InventoryOrleans.Grains.Interfaces.Json;
using System.Threading.Channels;
using InventoryOrleans.Grains.Expiry;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Logging;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Publishing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Ingest.Expiry;

/// <summary>
/// Publishes the net stock (and the low-stock alerts) of products whose reservations expired. A product grain's expiry reminder releases them
/// and queues the product here (<see cref="IExpiryPublisher"/>); this service reads the product's current stock,
/// writes it to <c>inventory.net-stock</c> under the <see cref="NetStockWriterGate"/> (so it never lands after a newer
/// record of the batch pipeline) and, once delivered, tells the grain, which then drops or moves its reminder. Until
/// then the reminder keeps firing, so a release is published even when this silo dies in between.
/// </summary>
public sealed partial class ExpiryPublisher(
    IGrainFactory grains,
    IngestPublisher publisher,
    NetStockWriterGate netStockGate,
    IngestMetrics metrics,
    TimeProvider time,
    ILogger<ExpiryPublisher> logger) : BackgroundService, IExpiryPublisher
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(string productId) => _queue.Writer.TryWrite(productId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = new FailureRun();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                var due = new HashSet<string>(StringComparer.Ordinal);
                while (due.Count < 1_000 && _queue.Reader.TryRead(out var productId))
                {
                    due.Add(productId);
                }

                try
                {
                    await PublishAsync(due, stoppingToken);
                    if (failures.Succeeded())
                    {
                        Log.Recovered(logger);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The grains' reminders fire again and queue these products anew; log once per outage.
                    if (failures.Failed())
                    {
                        Log.Failed(logger, e);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PublishAsync(IReadOnlyCollection<string> products, CancellationToken cancellationToken)
    {
        var published = new List<StockView>(products.Count);
        await netStockGate.EnterAsync(cancellationToken);
        try
        {
            // Read under the gate: no batch of this silo is between its grain change and its record now, so the stock
            // read here is at least as new as anything the pipeline published before.
            var outgoing = new List<OutgoingMessage>(products.Count);
            foreach (var productId in products)
            {
                var publication = await grains.GetGrain<IProductGrain>(productId).GetExpiryPublicationAsync();
                var stock = publication.Stock;
                published.Add(stock);
                var key = RecordSerializer.Key(productId);
                foreach (var alert in publication.Alerts)
                {
                    outgoing.Add(new OutgoingMessage(Topics.Alerts, key, RecordSerializer.Alert(alert)));
                }

                outgoing.Add(new OutgoingMessage(Topics.NetStock, key, RecordSerializer.NetStock(stock)));
            }

            while (outgoing.Count > 0)
            {
                var result = await publisher.PublishAsync(outgoing, cancellationToken);
                if (result.Succeeded)
                {
                    break;
                }

                outgoing = [.. result.Failed];
                await Task.Delay(RetryDelay, time, cancellationToken);
            }
        }
        finally
        {
            netStockGate.Exit();
        }

        metrics.RecordNetStockPublished(published.Count);
        metrics.RecordExpiryReleases(published.Count);
        foreach (var stock in published)
        {
            await grains.GetGrain<IProductGrain>(stock.ProductId).ExpiryPublishedAsync(stock.Version);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the net stock of expired reservations failed; the products' reminders retry it")]
        public static partial void Failed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Publishing the net stock of expired reservations works again")]
        public static partial void Recovered(ILogger logger);
    }
}
