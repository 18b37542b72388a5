using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Ingest.Transactions;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// Hands each batch its publication tickets (<see cref="PublicationEpochs"/>), opening an epoch where none is open from
/// the end this silo knows or the stable mark Kafka holds, and settles a commit of unknown outcome from those marks.
/// </summary>
internal sealed class PublicationTickets(
    KafkaOptions options,
    ConsumerLoop consumer,
    IBatchCommitter committer,
    PublicationEpochs epochs,
    ILogger logger,
    CancellationToken kill)
{
    // The one broker request that reads publication marks, on the consumer's thread. Kafka answers it only once no
    // transaction of the partition is pending, which takes at most the transaction timeout.
    private TimeSpan MarkLookupTimeout => options.TransactionTimeout + TimeSpan.FromSeconds(5);

    private bool Killed => kill.IsCancellationRequested;

    /// <summary>
    /// Whether a partition of <paramref name="batch"/> without a ticket has an open epoch that has numbered its last
    /// attempt: that attempt, on its way, must commit before <see cref="Open"/> can number the batch in the next epoch.
    /// </summary>
    public bool NeedsCommitFirst(IngestBatch batch) =>
        Missing(batch).Any(p => epochs.IsOpen(p) && !epochs.CanIssue(p));

    /// <summary>Adds each ticket's publication mark to the offsets <paramref name="batch"/>'s transaction commits.</summary>
    public static void AddMarks(IngestBatch batch, List<TopicPartitionOffset> offsets)
    {
        foreach (var (partition, ticket) in batch.Tickets)
        {
            offsets.Add(new TopicPartitionOffset(PublicationEpochs.MarksOf(partition), new PublicationMark(ticket.Epoch, ticket.Attempt).ToOffset()));
        }
    }

    /// <summary>
    /// Gives each partition of the batch its publication ticket, opening an epoch where none is open: after the end this
    /// silo knows (its own failed attempt), or after the partition's stable mark in Kafka (a new owner, or an unknown end).
    /// </summary>
    public StepResult Open(IngestBatch batch)
    {
        var missing = Missing(batch);
        if (missing.Count == 0)
        {
            return StepResult.Done;
        }

        var ends = new Dictionary<int, PublicationMark>();
        var fromKafka = new List<int>();
        foreach (var partition in missing.Where(p => !epochs.IsOpen(p)))
        {
            if (epochs.TryGetKnownEnd(partition, out var known))
            {
                ends[partition] = known;
            }
            else
            {
                fromKafka.Add(partition);
            }
        }

        if (fromKafka.Count > 0)
        {
            var read = ReadMarks(fromKafka, ends);
            if (read.Status != StepStatus.Done)
            {
                return read;
            }
        }

        try
        {
            foreach (var (partition, ended) in ends)
            {
                BlockingWait.For(epochs.OpenAsync(partition, ended, kill));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !Killed)
        {
            return new StepResult(StepStatus.Retry, $"opening publication epochs in Redis: {e.GetType().Name}: {e.Message}", StorageProblem: true);
        }

        foreach (var partition in missing)
        {
            batch.Tickets[partition] = epochs.Ticket(partition);
        }

        return StepResult.Done;
    }

    // After a commit of unknown outcome the marks tell: every partition of a transaction commits with it, or none does.
    public StepResult SettleUnknownOutcome(IngestBatch batch)
    {
        if (!committer.FencePrevious())
        {
            return new StepResult(StepStatus.Retry, "fencing the transactional producer of a commit of unknown outcome");
        }

        var marks = new Dictionary<int, PublicationMark>();
        var read = ReadMarks([.. batch.Tickets.Keys], marks);
        if (read.Status != StepStatus.Done)
        {
            return read;
        }

        batch.OutcomeUnknown = false;
        var committed = batch.Tickets.Any(t => marks.TryGetValue(t.Key, out var mark) && mark == new PublicationMark(t.Value.Epoch, t.Value.Attempt));
        IngestLog.OutcomeSettled(logger, committed);
        if (committed)
        {
            return StepResult.Done;
        }

        batch.NewAttempt();
        return new StepResult(StepStatus.NotCommitted);
    }

    private static List<int> Missing(IngestBatch batch) => batch.Partitions.Where(p => !batch.Tickets.ContainsKey(p)).ToList();

    // The last committed publication mark of each partition, as Kafka holds it once no transaction of it is pending.
    private StepResult ReadMarks(List<int> partitions, Dictionary<int, PublicationMark> marks)
    {
        try
        {
            foreach (var committed in consumer.Consumer.Committed(partitions.Select(PublicationEpochs.MarksOf), MarkLookupTimeout))
            {
                marks[committed.Partition.Value] = PublicationMark.FromOffset(committed.Offset.Value);
            }

            return StepResult.Done;
        }
        catch (KafkaException e)
        {
            return new StepResult(StepStatus.Retry, $"reading publication marks: {e.Error.Reason}");
        }
    }
}
