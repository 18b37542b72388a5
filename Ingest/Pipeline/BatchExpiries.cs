using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Expiry;
using InventoryOrleans.Ingest.Metrics;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// The expiry releases that ride in the ingest's batches: taken from the queue for the partitions this silo owns,
/// confirmed to their grains once their batch committed, queued again when it did not.
/// </summary>
internal sealed class BatchExpiries(ExpiryQueue queue, PartitionOwnership ownership, IGrainFactory grains, IngestMetrics metrics)
{
    // Expiry products taken into one batch at most (the rest wait for the next).
    private const int MaxPerBatch = 1_000;

    /// <summary>
    /// The queued expiry products of the partitions this silo owns. Others are dropped: their grain's reminder queues
    /// them again where it runs, and the grain moves to the silo that owns its partition.
    /// </summary>
    public List<(string ProductId, int Partition)> Take()
    {
        if (queue.Count == 0)
        {
            return [];
        }

        var owned = new List<(string, int)>();
        foreach (var productId in queue.Take(MaxPerBatch))
        {
            if (ownership.Owns(productId))
            {
                owned.Add((productId, ownership.PartitionOf(productId)));
            }
        }

        return owned;
    }

    /// <summary>
    /// The grains of expiry products published in a committed transaction learn it now (else at their next reminder),
    /// so their reminders move on. Not awaited: the next batch need not wait for it.
    /// </summary>
    public void Confirm(IngestBatch batch)
    {
        foreach (var (productId, partition) in batch.Expiries)
        {
            var ticket = batch.Tickets[partition];
            _ = grains.GetProductGrain(productId).PublishedAsync(ticket.AfterCommit(ticket.Attempt));
        }
    }

    /// <summary>Expiry products of a batch that did not commit are published with a later one.</summary>
    public void Requeue(IngestBatch batch)
    {
        metrics.RecordExpiryPublishFailures(batch.Expiries.Count);
        foreach (var (productId, _) in batch.Expiries)
        {
            queue.Enqueue(productId);
        }
    }
}
