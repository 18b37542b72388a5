using InventoryOrleans.DevBroker.Cluster;
using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Records;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Transactions;

/// <summary>
/// Carries out a decided commit or abort: a COMMIT or ABORT marker in each of the transaction's partitions, then the
/// pending offsets of its groups applied or dropped. Safe to repeat: after a partial attempt markers go only where the
/// producer's transaction is still open, and a group with nothing pending has nothing to do.
/// </summary>
internal sealed class TransactionCompletion(ClusterState cluster, GroupCoordinator groups, TimeProvider time, bool fsync, ILogger logger)
{
    /// <summary>The epoch of the coordinator written in markers: one broker that never hands the role over.</summary>
    private const int CoordinatorEpoch = 0;

    /// <summary>Applies the prepared transaction's outcome; false when a log could not be written (to be retried).
    /// <paramref name="markersMayExist"/>: an earlier attempt may have written some markers already.</summary>
    public bool TryApply(TransactionMetadata metadata, bool markersMayExist)
    {
        var commit = metadata.State == TransactionState.PrepareCommit;
        try
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var partition in metadata.Partitions)
            {
                // A deleted topic needs no marker.
                var log = cluster.Find(partition.Topic)?.Partition(partition.Partition);
                if (log is not null && (!markersMayExist || log.HasOpenTransaction(metadata.ProducerId)))
                {
                    log.AppendMarker(commit ? ControlRecordType.Commit : ControlRecordType.Abort, metadata.ProducerId, metadata.ProducerEpoch, CoordinatorEpoch, now, fsync);
                }
            }

            if (metadata.Partitions.Count > 0)
            {
                cluster.NotifyDataArrived(); // read_committed fetches waiting at the last stable offset
            }

            if (!metadata.Groups.All(group => groups.CompleteTransaction(group, metadata.ProducerId, commit)))
            {
                TransactionCoordinatorLog.CompletionFailed(logger, metadata.TransactionalId, null);
                return false;
            }

            return true;
        }
        catch (IOException exception)
        {
            TransactionCoordinatorLog.CompletionFailed(logger, metadata.TransactionalId, exception);
            return false;
        }
    }
}
