using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Ingest.Publishing;
using InventoryOrleans.Ingest.Tracing;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Ingest.Transactions;

/// <summary>
/// The silo's transactional producer (KIP-98, KIP-447): per attempt, begin → the records → the offsets with the
/// consumer's group metadata → commit. A member that lost its partitions is refused at the offsets (its generation is
/// stale), and a producer of the same <c>transactional.id</c> started later fences this one, so nothing a zombie writes
/// becomes visible to <c>read_committed</c> readers. Any failure aborts; a fatal one (fenced, or the outcome unknown)
/// drops the producer, and the next attempt builds a new one (InitTransactions aborts whatever this one left open).
/// </summary>
internal sealed partial class TransactionalCommitter(KafkaOptions options, string transactionalId, IngestMetrics metrics, TimeProvider time, ILogger logger) : IBatchCommitter
{
    private readonly TimeSpan _timeout = options.TransactionTimeout;

    // How long the pipeline waits for one transaction (publish, offsets, commit or abort) before it gives its producer up.
    private readonly TimeSpan _bound = (2 * options.TransactionTimeout) + TimeSpan.FromSeconds(5);
    private IProducer<byte[], byte[]>? _producer;

    // The transaction on a worker, if one was begun: the producer is not disposed under it.
    private Task? _running;

    /// <summary>The transactional id this silo's producer uses.</summary>
    public string TransactionalId => transactionalId;

    public CommitResult Commit(IReadOnlyList<OutgoingMessage> records, IReadOnlyList<TopicPartitionOffset> offsets, IConsumer<byte[], byte[]> consumer, CancellationToken cancellationToken) =>
        Begin(records, offsets, consumer, cancellationToken).Wait();

    public bool CanOverlap => true;

    /// <summary>
    /// Starts one attempt's transaction on a worker and returns at once, so the pipeline can apply its next batch
    /// meanwhile; <see cref="PendingCommit.Wait"/> gives the outcome. One at a time: the next begins after that.
    /// </summary>
    public PendingCommit Begin(IReadOnlyList<OutgoingMessage> records, IReadOnlyList<TopicPartitionOffset> offsets, IConsumer<byte[], byte[]> consumer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(consumer);
        IProducer<byte[], byte[]> producer;
        try
        {
            producer = Ready();
        }
        catch (KafkaException e)
        {
            Drop();
            return PendingCommit.Done(new CommitResult(CommitStatus.NotCommitted, $"starting the transactional producer: {e.Error.Reason}", Outage: true));
        }

        // Read on the consumer's thread, which owns it; the transaction runs on a worker.
        var group = consumer.ConsumerGroupMetadata;
        var work = Task.Factory.StartNew(
            () => Transact(producer, records, offsets, group, cancellationToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        _running = work;
        return new PendingCommit(work, _bound, time, () =>
        {
            Abandon(producer, work);
            return new CommitResult(CommitStatus.Unknown, $"the transactional producer did not answer within {_bound.TotalSeconds:0} s; it is replaced", Outage: true);
        });
    }

    /// <summary>
    /// Makes sure no earlier producer of this committer can still commit anything: a new one of the same
    /// transactional id is initialized, which fences the old and aborts what it left open. False while that fails.
    /// </summary>
    public bool FencePrevious()
    {
        try
        {
            Ready();
            return true;
        }
        catch (KafkaException e)
        {
            Drop();
            Log.FenceFailed(logger, transactionalId, e.Error.Code, e.Error.Reason);
            return false;
        }
    }

    private CommitResult Transact(IProducer<byte[], byte[]> producer, IReadOnlyList<OutgoingMessage> records, IReadOnlyList<TopicPartitionOffset> offsets, IConsumerGroupMetadata group, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var stage = "publishing";
        try
        {
            producer.BeginTransaction();
            foreach (var record in records)
            {
                Produce(producer, record, cancellationToken);
            }

            producer.SendOffsetsToTransaction(offsets, group, _timeout);
            metrics.RecordPublish(time.GetElapsedTime(started), null);
            metrics.RecordStage(IngestStage.Publish, time.GetElapsedTime(started));
            stage = "committing";
            started = time.GetTimestamp();
            using (IngestActivitySource.StartCommit())
            {
                CommitWithRetries(producer);
            }

            metrics.RecordCommit(time.GetElapsedTime(started), null);
            metrics.RecordStage(IngestStage.Commit, time.GetElapsedTime(started));
            return CommitResult.Committed;
        }
        catch (KafkaException e) when (e.Error.IsFatal)
        {
            // Fenced by a newer producer of this id, or broken: whether the commit went through is not known here.
            Log.Fatal(logger, transactionalId, e.Error.Code, e.Error.Reason);
            RecordFailure(stage, started, e.Error);
            Drop(producer);
            return new CommitResult(CommitStatus.Unknown, $"{stage} the transaction: {e.Error.Reason}");
        }
        catch (KafkaException e)
        {
            RecordFailure(stage, started, e.Error);
            return Abort(producer, e.Error, stage);
        }
    }

    // librdkafka's transactional calls honour their timeouts, except that one of them stayed blocked for good after a
    // broker restart (send_offsets_to_transaction, waiting for a group coordinator connection it never took up again:
    // with every broker down, librdkafka >= 2.10 re-bootstraps and decommissions the broker its group coordinator cache
    // still names, and its coordinator requests check no timeout; confluentinc/librdkafka#5511, #5456. No request
    // reaches the broker. metadata.recovery.strategy=none avoids it, at the price of never re-bootstrapping).
    // Such a producer is left to its call: the next attempt's producer of the same transactional id fences it (its
    // open transaction is aborted, its later requests refused), and it is disposed once its call returns.
    private void Abandon(IProducer<byte[], byte[]> producer, Task work)
    {
        Log.Wedged(logger, transactionalId, _bound);
        if (ReferenceEquals(_producer, producer))
        {
            _producer = null;
        }

        work.ContinueWith(_ => producer.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public void Dispose()
    {
        if (_running is { IsCompleted: false } running && Interlocked.Exchange(ref _producer, null) is { } producer)
        {
            // A stop or a kill while a transaction is on its way: the producer goes once its call returns.
            running.ContinueWith(_ => producer.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }

        Drop();
    }

    private IProducer<byte[], byte[]> Ready()
    {
        if (_producer is { } ready)
        {
            return ready;
        }

        var producer = Build();
        try
        {
            // Fences any earlier producer of this transactional.id (this silo before a restart) and aborts what it left open.
            producer.InitTransactions(_timeout);
        }
        catch
        {
            producer.Dispose();
            throw;
        }

        Log.Initialized(logger, transactionalId);
        _producer = producer;
        return producer;
    }

    private void Produce(IProducer<byte[], byte[]> producer, OutgoingMessage record, CancellationToken cancellationToken)
    {
        var message = new Message<byte[], byte[]> { Key = record.Key, Value = record.Value, Headers = record.Headers ?? ProducedRecordParts.NoHeaders };
        while (true)
        {
            try
            {
                // A failed delivery fails the transaction's commit, which aborts it: no per-record report is needed.
                producer.Produce(ProducedRecordParts.AnyPartitionOf(record.Topic), message);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The local queue drains as the broker acknowledges; wait for room rather than failing the attempt.
                cancellationToken.ThrowIfCancellationRequested();
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    // A commit that timed out may be retried (librdkafka keeps its state); anything else ends it.
    private void CommitWithRetries(IProducer<byte[], byte[]> producer)
    {
        var deadline = time.GetTimestamp();
        while (true)
        {
            try
            {
                producer.CommitTransaction(_timeout);
                return;
            }
            catch (KafkaRetriableException) when (time.GetElapsedTime(deadline) < 2 * _timeout)
            {
            }
        }
    }

    private CommitResult Abort(IProducer<byte[], byte[]> producer, Error cause, string stage)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                producer.AbortTransaction(_timeout);
                var status = IsOwnershipLost(cause.Code) ? CommitStatus.OwnershipLost : CommitStatus.NotCommitted;
                return new CommitResult(status, $"{stage} the transaction: {cause.Reason}", Outage: IsOutage(cause.Code));
            }
            catch (KafkaRetriableException) when (time.GetElapsedTime(started) < 2 * _timeout)
            {
            }
            catch (KafkaException e)
            {
                Log.AbortFailed(logger, transactionalId, e.Error.Code, e.Error.Reason);
                Drop(producer);
                return new CommitResult(CommitStatus.Unknown, $"{stage} the transaction: {cause.Reason}; aborting it: {e.Error.Reason}", Outage: IsOutage(e.Error.Code));
            }
        }
    }

    private void RecordFailure(string stage, long started, Error error)
    {
        if (stage == "publishing")
        {
            metrics.RecordPublish(time.GetElapsedTime(started), error.Code.ToString());
        }
        else
        {
            metrics.RecordCommit(time.GetElapsedTime(started), error.Code.ToString());
        }
    }

    private void Drop()
    {
        var producer = _producer;
        _producer = null;
        producer?.Dispose();
    }

    // Drops a broken producer from the worker that used it (unless it was replaced meanwhile).
    private void Drop(IProducer<byte[], byte[]> producer)
    {
        if (Interlocked.CompareExchange(ref _producer, null, producer) == producer)
        {
            producer.Dispose();
        }
    }

    private IProducer<byte[], byte[]> Build()
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = ClientIds.For(options, "producer"),
            TransactionalId = transactionalId,
            TransactionTimeoutMs = options.TransactionTimeout.ToKafkaMilliseconds(),
            EnableIdempotence = true,
            Acks = Acks.All,
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = options.ProducerLinger.TotalMilliseconds,
            BatchNumMessages = 10_000,
            QueueBufferingMaxMessages = 1_000_000,

            // Dead letters are copied unchanged, including messages over the 1 MiB event limit.
            MessageMaxBytes = 16 * 1024 * 1024,
            QueueBufferingMaxKbytes = 1_048_576,
            CompressionType = CompressionType.None,
            EnableDeliveryReports = false,

            // With re-bootstrap (the default since librdkafka 2.10) a producer whose brokers were all down once waits for
            // good in send_offsets_to_transaction (see Abandon). Without it the producer keeps the brokers it knows; should
            // they all have moved, the next attempt's new producer bootstraps afresh.
            MetadataRecoveryStrategy = MetadataRecoveryStrategy.None,
        };
        return new ProducerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, message) => Log.Librdkafka(logger, message.Facility, message.Message))
            .SetErrorHandler((_, error) => Log.ProducerError(logger, error.Code, error.Reason))
            .Build();
    }

    // The group refused this member's offsets: its partitions moved on. (Not Local_State: inside a transaction librdkafka
    // answers it for a transaction that must be aborted, for instance after the broker reported skipped sequence
    // numbers, while the partitions stay; that attempt is retried like any that did not commit.)
    internal static bool IsOwnershipLost(ErrorCode code) => code is ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId
        or ErrorCode.FencedInstanceId or ErrorCode.RebalanceInProgress;

    private static bool IsOutage(ErrorCode code) => code is ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown
        or ErrorCode.Local_TimedOut or ErrorCode.RequestTimedOut or ErrorCode.GroupCoordinatorNotAvailable or ErrorCode.NotCoordinatorForGroup
        or ErrorCode.NetworkException or ErrorCode.Local_MsgTimedOut;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Transactional producer {TransactionalId} initialized")]
        public static partial void Initialized(ILogger logger, string transactionalId);

        [LoggerMessage(Level = LogLevel.Error, Message = "Transactional producer {TransactionalId} failed fatally ({Code}: {Reason}); it is replaced, and what its last transaction committed is read back from Kafka")]
        public static partial void Fatal(ILogger logger, string transactionalId, ErrorCode code, string reason);

        [LoggerMessage(Level = LogLevel.Error, Message = "Transactional producer {TransactionalId} could not abort ({Code}: {Reason}); it is replaced")]
        public static partial void AbortFailed(ILogger logger, string transactionalId, ErrorCode code, string reason);

        [LoggerMessage(Level = LogLevel.Error, Message = "Transactional producer {TransactionalId} did not answer within {Bound}; it is replaced, and the new one fences it")]
        public static partial void Wedged(ILogger logger, string transactionalId, TimeSpan bound);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Transactional producer {TransactionalId} could not be initialized to fence its predecessor ({Code}: {Reason}); retried")]
        public static partial void FenceFailed(ILogger logger, string transactionalId, ErrorCode code, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Kafka transactional producer reports {Code}: {Reason}")]
        public static partial void ProducerError(ILogger logger, ErrorCode code, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka transactional producer [{Facility}] {Message}")]
        public static partial void Librdkafka(ILogger logger, string facility, string message);
    }
}
