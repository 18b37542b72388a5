using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Publishing;

namespace InventoryOrleans.Ingest.Transactions;

/// <summary>
/// For brokers without transactions (<c>Kafka__Transactions=false</c>): the records through the idempotent producer,
/// every delivery awaited, then the offsets through the consumer. Exactly once in effect, not for readers: an attempt
/// that fails after its records were delivered is published again, so <c>read_uncommitted</c>-style identical repeats
/// are possible, and a silo that lost its partitions is refused only at the offsets.
/// </summary>
internal sealed class IdempotentCommitter(IngestPublisher publisher, IngestMetrics metrics, TimeProvider time) : IBatchCommitter
{
    public CommitResult Commit(IReadOnlyList<OutgoingMessage> records, IReadOnlyList<TopicPartitionOffset> offsets, IConsumer<byte[], byte[]> consumer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        var started = time.GetTimestamp();
        var published = BlockingWait.For(publisher.PublishAsync(records, cancellationToken));
        metrics.RecordStage(IngestStage.Publish, time.GetElapsedTime(started));
        if (!published.Succeeded)
        {
            return new CommitResult(CommitStatus.NotCommitted, $"publishing to Kafka: {published.LastError?.Reason}", Outage: true);
        }

        started = time.GetTimestamp();
        try
        {
            consumer.Commit(offsets);
            metrics.RecordCommit(time.GetElapsedTime(started), null);
            metrics.RecordStage(IngestStage.Commit, time.GetElapsedTime(started));
            return CommitResult.Committed;
        }
        catch (KafkaException e)
        {
            metrics.RecordCommit(time.GetElapsedTime(started), e.Error.Code.ToString());
            var lost = e is TopicPartitionOffsetException partitions
                ? partitions.Results.Any(r => IsOwnershipLost(r.Error.Code))
                : IsOwnershipLost(e.Error.Code);

            // A commit that failed otherwise may still have landed: Kafka is asked what is committed.
            return new CommitResult(lost ? CommitStatus.OwnershipLost : CommitStatus.Unknown, $"committing offsets: {e.Error.Reason}", Outage: !lost);
        }
    }

    // The consumer's commit also answers Local_State once the consumer left the group or holds no assignment.
    private static bool IsOwnershipLost(ErrorCode code) => code == ErrorCode.Local_State || TransactionalCommitter.IsOwnershipLost(code);

    // The offsets are committed through the consumer, on its thread: the attempt is over before the next batch starts.
    public bool CanOverlap => false;

    public PendingCommit Begin(IReadOnlyList<OutgoingMessage> records, IReadOnlyList<TopicPartitionOffset> offsets, IConsumer<byte[], byte[]> consumer, CancellationToken cancellationToken) =>
        PendingCommit.Done(Commit(records, offsets, consumer, cancellationToken));

    // Without transactions nothing is fenced: a commit that did not answer may still land, as readers of this mode accept.
    public bool FencePrevious() => true;

    // The publisher is a singleton of the silo and disposed with it.
    public void Dispose()
    {
    }
}
