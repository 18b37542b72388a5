using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Publication;

namespace InventoryOrleans.Ingest.Transactions;

/// <summary>
/// The publication epochs of the input partitions this silo consumes (see <see cref="PublicationTicket"/>): per
/// partition, the open epoch and its last committed attempt. An epoch opens from the partition's stable committed
/// mark (what the previous owner, or this silo before a failure, finally committed) and ends at the first attempt that
/// does not commit, so within an epoch every attempt before the current one committed. Used on the pipeline's thread only.
/// </summary>
internal sealed class PublicationEpochs(IPublicationHistory history)
{
    private readonly Dictionary<int, (long Epoch, long Committed)> _open = [];

    // Epochs this silo ended itself, with their final committed attempt, until the next opens.
    private readonly Dictionary<int, PublicationMark> _ended = [];

    /// <summary>Whether <paramref name="partition"/> has an open epoch.</summary>
    public bool IsOpen(int partition) => _open.ContainsKey(partition);

    /// <summary>Opens an epoch for <paramref name="partition"/> after <paramref name="ended"/>, the partition's last committed mark.</summary>
    public async Task OpenAsync(int partition, PublicationMark ended, CancellationToken cancellationToken)
    {
        var epoch = await history.BeginEpochAsync(partition, ended, cancellationToken);
        _open[partition] = (epoch, 0);
        _ended.Remove(partition);
    }

    /// <summary>The ticket of the next attempt of <paramref name="partition"/>'s open epoch.</summary>
    public PublicationTicket Ticket(int partition)
    {
        var (epoch, committed) = _open[partition];
        return new PublicationTicket(partition, epoch, committed, committed + 1);
    }

    /// <summary>The offset to commit on <see cref="Topics.PublicationMarks"/> with the next attempt of <paramref name="partition"/>.</summary>
    public TopicPartitionOffset NextMark(int partition)
    {
        var ticket = Ticket(partition);
        return new TopicPartitionOffset(MarksOf(partition), new PublicationMark(ticket.Epoch, ticket.Attempt).ToOffset());
    }

    /// <summary>The next attempt of each partition committed.</summary>
    public void Committed(IEnumerable<int> partitions)
    {
        foreach (var partition in partitions)
        {
            var (epoch, committed) = _open[partition];
            if (committed + 1 >= PublicationMark.MaxAttempt)
            {
                // The attempt counter is full: the next attempt opens a new epoch after this final one.
                _open.Remove(partition);
                _ended[partition] = new PublicationMark(epoch, committed + 1);
            }
            else
            {
                _open[partition] = (epoch, committed + 1);
            }
        }
    }

    /// <summary>
    /// The next attempt of each partition did not commit (an abort, or the partition left): their epochs end, and the
    /// next attempt opens a new one after the last committed attempt, which is known here.
    /// </summary>
    public void Failed(IEnumerable<int> partitions)
    {
        foreach (var partition in partitions)
        {
            if (_open.Remove(partition, out var open))
            {
                _ended[partition] = open.Committed > 0 ? new PublicationMark(open.Epoch, open.Committed) : PublicationMark.None;
            }
        }
    }

    /// <summary>
    /// Forgets <paramref name="partitions"/> (they left this silo, or the outcome of their last attempt is unknown): the
    /// next epoch opens from the mark Kafka holds.
    /// </summary>
    public void Forget(IEnumerable<int> partitions)
    {
        foreach (var partition in partitions)
        {
            _open.Remove(partition);
            _ended.Remove(partition);
        }
    }

    /// <summary>The end of an epoch this silo closed itself, when it knows it (else the mark must be read from Kafka).</summary>
    public bool TryGetKnownEnd(int partition, out PublicationMark ended) => _ended.TryGetValue(partition, out ended);

    /// <summary>Partition <paramref name="partition"/> of <see cref="Topics.PublicationMarks"/>.</summary>
    public static TopicPartition MarksOf(int partition) => new(Topics.PublicationMarks, new Partition(partition));
}
