using Confluent.Kafka;
using InventoryOrleans.Ingest.Publishing;

namespace InventoryOrleans.Ingest.Transactions;

/// <summary>
/// Puts one attempt's records on the output topics and commits its offsets (input positions and publication marks)
/// with the consumer's group metadata: in one Kafka transaction (<see cref="TransactionalCommitter"/>), or, for brokers
/// without transactions, through the idempotent producer and then the consumer (<see cref="IdempotentCommitter"/>).
/// Called on the pipeline's thread, which owns <paramref name="consumer"/>.
/// </summary>
internal interface IBatchCommitter : IDisposable
{
    CommitResult Commit(IReadOnlyList<OutgoingMessage> records, IReadOnlyList<TopicPartitionOffset> offsets, IConsumer<byte[], byte[]> consumer, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <see cref="Begin"/> returns before the attempt has committed, so the pipeline can apply the next batch
    /// while this one commits (a transaction runs on its own producer; offsets committed through the consumer cannot).
    /// </summary>
    bool CanOverlap { get; }

    /// <summary>Starts what <see cref="Commit"/> does; the outcome comes from <see cref="PendingCommit.Wait"/>.</summary>
    PendingCommit Begin(IReadOnlyList<OutgoingMessage> records, IReadOnlyList<TopicPartitionOffset> offsets, IConsumer<byte[], byte[]> consumer, CancellationToken cancellationToken);

    /// <summary>
    /// After a commit of unknown outcome: makes sure the producer that made it can commit nothing more, so what Kafka
    /// holds committed now is final. False when that is not possible yet (the broker is unreachable).
    /// </summary>
    bool FencePrevious();
}
