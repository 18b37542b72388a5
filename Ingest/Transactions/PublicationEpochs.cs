using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Publication;

namespace InventoryOrleans.Ingest.Transactions;

/// <summary>
/// The publication epochs of the input partitions this silo consumes (see <see cref="PublicationTicket"/>): per
/// partition, the open epoch and its last committed attempt. An epoch opens from the partition's stable committed
/// mark (what the previous owner, or this silo before a failure, finally committed) and ends at the first attempt that
/// does not commit. Attempts are issued in order and commit in order; at most the one before the newest is still in
/// flight (the pipeline applies a batch while the previous one commits), so within an epoch every attempt before the
/// ticket's one committed or is in flight, and one in flight that fails ends the epoch before a later one can commit.
/// Used on the pipeline's thread only.
/// </summary>
internal sealed class PublicationEpochs(IPublicationHistory history)
{
    private readonly Dictionary<int, (long Epoch, long Committed, long Issued)> _open = [];

    // Epochs this silo ended itself, with their final committed attempt, until the next opens.
    private readonly Dictionary<int, PublicationMark> _ended = [];

    /// <summary>Whether <paramref name="partition"/> has an open epoch.</summary>
    public bool IsOpen(int partition) => _open.ContainsKey(partition);

    /// <summary>Opens an epoch for <paramref name="partition"/> after <paramref name="ended"/>, the partition's last committed mark.</summary>
    public async Task OpenAsync(int partition, PublicationMark ended, CancellationToken cancellationToken)
    {
        var epoch = await history.BeginEpochAsync(partition, ended, cancellationToken);
        _open[partition] = (epoch, 0, 0);
        _ended.Remove(partition);
    }

    /// <summary>Whether <paramref name="partition"/>'s open epoch can number another attempt (else it needs a new epoch once its last commits).</summary>
    public bool CanIssue(int partition) => _open.TryGetValue(partition, out var open) && open.Issued < PublicationMark.MaxAttempt;

    /// <summary>
    /// Issues the next attempt of <paramref name="partition"/>'s open epoch: its ticket names the last committed attempt,
    /// and any between them are in flight.
    /// </summary>
    public PublicationTicket Ticket(int partition)
    {
        var (epoch, committed, issued) = _open[partition];
        if (issued >= PublicationMark.MaxAttempt)
        {
            throw new InvalidOperationException($"Partition {partition}'s publication epoch {epoch} has numbered its last attempt; it ends once that commits.");
        }

        _open[partition] = (epoch, committed, issued + 1);
        return new PublicationTicket(partition, epoch, committed, issued + 1);
    }

    /// <summary>The attempts of <paramref name="tickets"/> committed (attempts commit in the order they were issued).</summary>
    public void Committed(IEnumerable<PublicationTicket> tickets)
    {
        foreach (var ticket in tickets)
        {
            if (!_open.TryGetValue(ticket.Partition, out var open) || open.Epoch != ticket.Epoch)
            {
                // The partition left meanwhile (its epoch is forgotten): the next owner reads the mark from Kafka.
                continue;
            }

            if (ticket.Attempt >= PublicationMark.MaxAttempt)
            {
                // The attempt counter is full: the next attempt opens a new epoch after this final one.
                _open.Remove(ticket.Partition);
                _ended[ticket.Partition] = new PublicationMark(open.Epoch, ticket.Attempt);
            }
            else
            {
                _open[ticket.Partition] = open with { Committed = ticket.Attempt };
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
