using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Options;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Publishing;
using InventoryOrleans.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Expiry;

/// <summary>
/// Releases expired reservations of the products this silo owns even when no event arrives for them: every
/// interval it asks the durable reminder table which products are due, wakes their grains and publishes the new
/// net stock. Products of other silos' partitions are left to their owners.
/// </summary>
public sealed partial class ExpirySweeper(
    IReminderTable reminders,
    IGrainFactory grains,
    PartitionOwnership ownership,
    IngestPublisher publisher,
    NetStockWriterGate netStockGate,
    IngestMetrics metrics,
    TimeProvider time,
    IOptions<KafkaOptions> options,
    ILogger<ExpirySweeper> logger) : BackgroundService
{
    /// <summary>The grain type under which the product grain keeps its reminders.</summary>
    public const string ProductGrainType = "ProductGrain";

    // Owned due products handled per sweep; the rest wait for the next interval.
    private const int MaxPerSweep = 1_000;

    // The table is shared by all silos: a silo pages past the due entries of other silos' products (which their
    // owners are releasing meanwhile) rather than waiting behind them, up to this many entries per sweep.
    private const int PageSize = 1_000;
    private const int MaxPagesPerSweep = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.ExpirySweepIntervalMs), time);
        var failing = false;
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
                if (failing)
                {
                    failing = false;
                    Log.SweepRecovered(logger);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage or broker out: the reminders stay due and the next sweep tries again. Log once per outage.
                if (!failing)
                {
                    failing = true;
                    Log.SweepFailed(logger, e);
                }
            }
        }
    }

    /// <summary>One sweep: releases what is due among owned products; returns how many owned due products it woke.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if (ownership.Owned.Count == 0)
        {
            return 0;
        }

        var due = await OwnedDueAsync(time.GetUtcNow(), cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        await netStockGate.EnterAsync(cancellationToken);
        try
        {
            await ReleaseAndPublishAsync(due, cancellationToken);
        }
        finally
        {
            netStockGate.Exit();
        }

        return due.Count;
    }

    // Reads pages before changing anything, so the offsets stay put while this silo reads them.
    private async Task<List<string>> OwnedDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var owned = new List<string>();
        for (var page = 0; page < MaxPagesPerSweep && owned.Count < MaxPerSweep; page++)
        {
            var due = await reminders.GetDueAsync(ProductGrainType, now, PageSize, page * PageSize, cancellationToken);
            owned.AddRange(due.Where(ownership.Owns));
            if (due.Count < PageSize)
            {
                break;
            }
        }

        return owned.Count > MaxPerSweep ? owned[..MaxPerSweep] : owned;
    }

    private async Task ReleaseAndPublishAsync(IReadOnlyList<string> due, CancellationToken cancellationToken)
    {
        var outgoing = new List<OutgoingMessage>();
        foreach (var productId in due.Where(ownership.Owns))
        {
            var result = await grains.GetGrain<IProductGrain>(productId).ReleaseExpiredReservationsAsync();
            if (result.Changed)
            {
                outgoing.Add(new OutgoingMessage(Topics.NetStock, RecordSerializer.Key(productId), RecordSerializer.NetStock(result.Stock)));
                metrics.RecordExpiryReleases(result.ReleasedReservationIds.Count);
            }
        }

        while (outgoing.Count > 0)
        {
            var published = await publisher.PublishAsync(outgoing, cancellationToken);
            if (published.Succeeded)
            {
                metrics.RecordNetStockPublished(outgoing.Count);
                break;
            }

            outgoing = [.. published.Failed];
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Reservation expiry sweep failed; retrying every interval")]
        public static partial void SweepFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Reservation expiry sweep works again")]
        public static partial void SweepRecovered(ILogger logger);
    }
}
