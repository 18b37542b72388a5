using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Grains.Placement;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Publishing;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// The grain stages of a batch: each product's events go to its grain in order (products in parallel, each persisted
/// once) with its partition's publication ticket, and each expiry product is asked what it must still publish; their
/// records (one outcome per event, alerts, net stock) are serialized here, in parallel with other products' writes.
/// </summary>
internal sealed class BatchProcessor(IGrainFactory grains, LocalProductActivations activations, IngestMetrics metrics, OutputSerializer serializer, IOptions<KafkaOptions> options)
{
    private readonly int _parallelism = options.Value.MaxParallelProducts;

    /// <summary>Applies every product not applied yet. Products that succeed stay applied even when others fail.</summary>
    public async Task<StepResult> ApplyAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var pending = batch.PendingProducts.ToArray();

        // Each product writes its own slot; the results join the batch in one pass afterwards (a shared concurrent
        // map here was a measurable lock hot spot with thousands of products per batch).
        var results = new AppliedProduct?[pending.Length];
        Exception? failure = null;
        var fenced = false;
        var remote = 0;
        try
        {
            await Parallel.ForAsync(
                0,
                pending.Length,
                new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
                async (i, _) =>
                {
                    var productId = pending[i];
                    try
                    {
                        var events = batch.ByProduct[productId];
                        var ticket = batch.Tickets[events[0].Position!.Value.Partition];
                        using var traced = batch.Trace?.Enter(productId);
                        var result = await grains.GetProductGrain(productId).ApplyBatchAsync(events, ticket);
                        if (!activations.IsActive(productId))
                        {
                            // Placed on another silo (a rebalance in progress, or placed before this silo owned it).
                            Interlocked.Increment(ref remote);
                        }

                        // Serialized here, in parallel with other products' storage writes, rather than one by one on
                        // the consumer thread before publishing.
                        results[i] = new AppliedProduct(result, Serialize(productId, result));
                    }
                    catch (Exception e) when (IsFenced(e))
                    {
                        fenced = true;
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        Interlocked.CompareExchange(ref failure, e, null);
                    }
                });
        }
        finally
        {
            metrics.RecordGrainCalls(pending.Length, remote);

            // Whatever persisted is recorded even when the loop was cancelled: a retry must not apply it again.
            for (var i = 0; i < pending.Length; i++)
            {
                if (results[i] is { } applied)
                {
                    batch.Applied[pending[i]] = applied;
                }
            }
        }

        if (fenced)
        {
            return new StepResult(StepStatus.Fenced, "a grain write met another writer's ETag, or a product went out in a newer owner's transaction");
        }

        return failure is null
            ? StepResult.Done
            : new StepResult(StepStatus.Retry, $"grain storage: {failure.GetType().Name}: {failure.Message}", StorageProblem: true);
    }

    /// <summary>Asks every expiry product not asked yet what it must still publish, in its partition's attempt.</summary>
    public async Task<StepResult> PrepareExpiriesAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var pending = batch.PendingExpiries.ToArray();
        var results = new IReadOnlyList<OutgoingMessage>?[pending.Length];
        Exception? failure = null;
        var fenced = false;
        try
        {
            await Parallel.ForAsync(
                0,
                pending.Length,
                new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
                async (i, _) =>
                {
                    var (productId, partition) = pending[i];
                    using var traced = batch.Trace?.Enter(productId);
                    try
                    {
                        var publication = await grains.GetProductGrain(productId).PreparePublicationAsync(batch.Tickets[partition]);
                        results[i] = publication is null ? [] : Serialize(productId, publication);
                    }
                    catch (Exception e) when (IsFenced(e))
                    {
                        fenced = true;
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        Interlocked.CompareExchange(ref failure, e, null);
                    }
                });
        }
        finally
        {
            for (var i = 0; i < pending.Length; i++)
            {
                if (results[i] is { } records)
                {
                    batch.ExpiryRecords[pending[i].ProductId] = records;
                }
            }
        }

        if (fenced)
        {
            return new StepResult(StepStatus.Fenced, "an expiry product went out in a newer owner's transaction");
        }

        return failure is null
            ? StepResult.Done
            : new StepResult(StepStatus.Retry, $"grain storage: {failure.GetType().Name}: {failure.Message}", StorageProblem: true);
    }

    /// <summary>Counts a committed batch's records in the metrics.</summary>
    public void RecordCommitted(IngestBatch batch)
    {
        foreach (var reason in batch.DeadLetterReasons)
        {
            metrics.RecordDeadLettered(reason);
        }

        metrics.RecordNetStockPublished(batch.Applied.Values.Count(a => a.Result.Changed) + batch.ExpiryRecords.Values.Count(r => r.Count > 0));
        metrics.RecordExpiryReleases(batch.ExpiryRecords.Values.Count(r => r.Count > 0));
        foreach (var applied in batch.Applied.Values)
        {
            foreach (var outcome in applied.Result.Outcomes)
            {
                metrics.RecordOutcome(outcome.Status, outcome.Reason);
            }
        }
    }

    // An expiry product's records: its alerts, then its net stock.
    private OutgoingMessage[] Serialize(string productId, StockPublication publication)
    {
        var key = RecordSerializer.Key(productId);
        var records = new OutgoingMessage[publication.Alerts.Count + 1];
        var i = 0;
        foreach (var alert in publication.Alerts)
        {
            records[i++] = new OutgoingMessage(Topics.Alerts, key, serializer.Alert(alert));
        }

        records[i] = new OutgoingMessage(Topics.NetStock, key, serializer.NetStock(publication.Stock));
        return records;
    }

    // One product's records in the order they must reach the topics: its outcomes, its low-stock alerts, its net stock.
    private OutgoingMessage[] Serialize(string productId, BatchApplyResult result)
    {
        var key = RecordSerializer.Key(productId);
        var alerts = result.Alerts ?? [];
        var records = new OutgoingMessage[result.Outcomes.Count + alerts.Count + (result.Changed ? 1 : 0)];
        var i = 0;
        foreach (var outcome in result.Outcomes)
        {
            records[i++] = new OutgoingMessage(Topics.Outcomes, key, serializer.Outcome(outcome));
        }

        foreach (var alert in alerts)
        {
            records[i++] = new OutgoingMessage(Topics.Alerts, key, serializer.Alert(alert));
        }

        if (result.Changed)
        {
            records[i] = new OutgoingMessage(Topics.NetStock, key, serializer.NetStock(result.Stock));
        }

        return records;
    }

    internal static bool IsFenced(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is InconsistentStateException)
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsFenced))
            {
                return true;
            }
        }

        return false;
    }

}
