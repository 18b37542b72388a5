using InventoryOrleans.Grains.Interfaces.Json;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Options;
using InventoryOrleans.Ingest.Publishing;
using InventoryOrleans.Grains.Placement;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// The apply and publish stages of a batch: each product's events go to its grain in order (products in parallel,
/// each persisted once), then the dead letters, one outcome per event and each changed product's net stock are
/// written through the idempotent producer.
/// </summary>
internal sealed class BatchProcessor(IGrainFactory grains, LocalProductActivations activations, IngestPublisher publisher, IngestMetrics metrics, IOptions<KafkaOptions> options)
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
                        var result = await grains.GetGrain<IProductGrain>(productId).ApplyBatchAsync(batch.ByProduct[productId]);
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
            return new StepResult(StepStatus.Fenced, "a grain write met another writer's ETag");
        }

        return failure is null
            ? StepResult.Done
            : new StepResult(StepStatus.Retry, $"grain storage: {failure.GetType().Name}: {failure.Message}", StorageProblem: true);
    }

    /// <summary>Publishes what the applied products produced (and the dead letters); retries deliver only what failed.</summary>
    public async Task<StepResult> PublishAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Published)
        {
            return StepResult.Done;
        }

        batch.Unpublished ??= BuildOutgoing(batch);
        var result = await publisher.PublishAsync(batch.Unpublished, cancellationToken);
        if (!result.Succeeded)
        {
            batch.Unpublished = result.Failed;
            return new StepResult(StepStatus.Retry, $"publishing to Kafka: {result.LastError?.Reason}");
        }

        batch.Published = true;
        foreach (var reason in batch.DeadLetterReasons)
        {
            metrics.RecordDeadLettered(reason);
        }

        metrics.RecordNetStockPublished(batch.Applied.Values.Count(a => a.Result.Changed));
        foreach (var applied in batch.Applied.Values)
        {
            foreach (var outcome in applied.Result.Outcomes)
            {
                metrics.RecordOutcome(outcome.Status, outcome.Reason);
            }
        }

        return StepResult.Done;
    }

    private static List<OutgoingMessage> BuildOutgoing(IngestBatch batch)
    {
        var outgoing = new List<OutgoingMessage>(batch.DeadLetters.Count + batch.Messages.Count + batch.Applied.Count);
        outgoing.AddRange(batch.DeadLetters);
        foreach (var applied in batch.Applied.Values)
        {
            outgoing.AddRange(applied.Records);
        }

        return outgoing;
    }

    // One product's records in the order they must reach the topics: its outcomes, its low-stock alerts, its net stock.
    private static OutgoingMessage[] Serialize(string productId, BatchApplyResult result)
    {
        var key = RecordSerializer.Key(productId);
        var alerts = result.Alerts ?? [];
        var records = new OutgoingMessage[result.Outcomes.Count + alerts.Count + (result.Changed ? 1 : 0)];
        var i = 0;
        foreach (var outcome in result.Outcomes)
        {
            records[i++] = new OutgoingMessage(Topics.Outcomes, key, RecordSerializer.Outcome(outcome));
        }

        foreach (var alert in alerts)
        {
            records[i++] = new OutgoingMessage(Topics.Alerts, key, RecordSerializer.Alert(alert));
        }

        if (result.Changed)
        {
            records[i] = new OutgoingMessage(Topics.NetStock, key, RecordSerializer.NetStock(result.Stock));
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

    internal static bool IsOwnershipLost(KafkaException e) => e.Error.Code is ErrorCode.RebalanceInProgress
        or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId or ErrorCode.Local_State or ErrorCode.FencedInstanceId;
}
