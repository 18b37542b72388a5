using System.Collections.Concurrent;
using InventoryOrleans.DevBroker.Cluster;
using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.DevBroker.Transactions;

/// <summary>
/// The transaction coordinator (KIP-98, KIP-447) of a single broker: one producer id per transactional id, its epoch
/// bumped by every InitProducerId so the previous instance is fenced; the partitions and groups of the ongoing
/// transaction; commit and abort as markers in every partition and pending offsets applied or dropped; transactions
/// past their timeout aborted by a timer from the injected <see cref="TimeProvider"/>. Every change is stored in the
/// state log before it is answered; a decided but unfinished commit or abort is finished at start.
/// Locks: a transactional id's own lock, then (inside it) the partition logs' and the group coordinator's — never the
/// other way round.
/// </summary>
public sealed class TransactionCoordinator : IDisposable, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TransactionEntry> _transactions = new(StringComparer.Ordinal);
    private readonly TransactionCoordinatorOptions _options;
    private readonly ClusterState _cluster;
    private readonly GroupCoordinator _groups;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TransactionStore _store;
    private readonly TransactionCompletion _completion;
    private ITimer? _timer;

    public TransactionCoordinator(TransactionCoordinatorOptions options, ClusterState cluster, GroupCoordinator groups, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _cluster = cluster;
        _groups = groups;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _store = new TransactionStore(options.StateDirectory, options.Fsync, options.CompactAfterRecords, _logger);
        _completion = new TransactionCompletion(cluster, groups, time, options.Fsync, _logger);
    }

    /// <summary>Replays the state log (when the options name a folder), finishes the commits and aborts a stop
    /// interrupted, then starts the timeout checks. Runs before the broker accepts connections.</summary>
    public void Start()
    {
        var records = _store.Load();
        foreach (var record in records)
        {
            _transactions[record.TransactionalId] = new TransactionEntry(record, markersMayExist: true);
            _cluster.ReserveProducerIds(record.ProducerId);
        }

        if (_store.FilePath is { } path)
        {
            TransactionCoordinatorLog.StateLoaded(
                _logger,
                path,
                records.Count,
                records.Count(r => r.State == TransactionState.Ongoing),
                records.Count(r => r.IsPrepared));
        }

        foreach (var entry in _transactions.Values)
        {
            lock (entry.Gate)
            {
                TryComplete(entry);
            }
        }

        _timer = _time.CreateTimer(_ => Check(), null, _options.CheckInterval, _options.CheckInterval);
    }

    /// <summary>The current state of a transactional id (null when unknown), for tests and tools.</summary>
    public TransactionMetadata? Describe(string transactionalId) =>
        _transactions.TryGetValue(transactionalId, out var entry) ? entry.Metadata : null;

    /// <summary>
    /// InitProducerId. Without a transactional id: a fresh producer id, epoch 0 (idempotent producers). With one: its
    /// stable producer id and the next epoch, after aborting a transaction the previous instance left open (which
    /// fences it). <paramref name="expectedProducerId"/> / <paramref name="expectedEpoch"/> (v3+, −1 when absent) come
    /// from a producer bumping its own epoch after an error (KIP-360): anyone else's epoch is PRODUCER_FENCED.
    /// </summary>
    public InitProducerIdResult InitProducerId(string? transactionalId, TimeSpan timeout, long expectedProducerId, short expectedEpoch)
    {
        if (transactionalId is null)
        {
            return new InitProducerIdResult(ErrorCode.None, _cluster.NextProducerId(), 0);
        }

        if (transactionalId.Length == 0 || (expectedProducerId < 0) != (expectedEpoch < 0))
        {
            return InitProducerIdResult.Failed(ErrorCode.InvalidRequest);
        }

        if (timeout <= TimeSpan.Zero || timeout > _options.MaxTimeout)
        {
            return InitProducerIdResult.Failed(ErrorCode.InvalidTransactionTimeout);
        }

        var entry = _transactions.GetOrAdd(
            transactionalId,
            id => new TransactionEntry(TransactionMetadata.New(id, _cluster.NextProducerId(), timeout), markersMayExist: false));
        lock (entry.Gate)
        {
            var expected = expectedProducerId >= 0;
            var current = entry.Metadata;
            if (expected && current.ProducerEpoch >= 0 && expectedProducerId != current.ProducerId)
            {
                return InitProducerIdResult.Failed(ErrorCode.ProducerFenced);
            }

            if (!TryComplete(entry)
                || (entry.Metadata.State == TransactionState.Ongoing && !FenceAndAbort(entry, "a producer with the same transactional id initialized")))
            {
                // The previous transaction is decided but not yet finished (a log could not be written): the client retries.
                return InitProducerIdResult.Failed(ErrorCode.ConcurrentTransactions);
            }

            current = entry.Metadata;
            if (expected && current.ProducerEpoch >= 0 && expectedEpoch != current.ProducerEpoch)
            {
                // The epoch before the last bump is a retry of that bump whose answer was lost; any other is a zombie's.
                return expectedEpoch == current.LastProducerEpoch
                    ? new InitProducerIdResult(ErrorCode.None, current.ProducerId, current.ProducerEpoch)
                    : InitProducerIdResult.Failed(ErrorCode.ProducerFenced);
            }

            // Epochs are int16: when they run out, the transactional id moves on to a new producer id.
            var exhausted = current.ProducerEpoch >= short.MaxValue - 1;
            var next = current with
            {
                ProducerId = exhausted ? _cluster.NextProducerId() : current.ProducerId,
                ProducerEpoch = exhausted ? (short)0 : (short)(current.ProducerEpoch + 1),
                LastProducerEpoch = expected && !exhausted ? current.ProducerEpoch : (short)-1,
                Timeout = timeout,
                State = TransactionState.Empty,
                Partitions = [],
                Groups = [],
            };
            if (!TryStore(entry, next))
            {
                return InitProducerIdResult.Failed(ErrorCode.CoordinatorNotAvailable);
            }

            TransactionCoordinatorLog.Initialized(_logger, transactionalId, next.ProducerId, next.ProducerEpoch);
            return new InitProducerIdResult(ErrorCode.None, next.ProducerId, next.ProducerEpoch);
        }
    }

    /// <summary>AddPartitionsToTxn: starts the transaction if none is ongoing; one outcome per partition, in order. An
    /// unknown partition fails with UNKNOWN_TOPIC_OR_PARTITION and the others with OPERATION_NOT_ATTEMPTED.</summary>
    public IReadOnlyList<ErrorCode> AddPartitions(string transactionalId, long producerId, short producerEpoch, IReadOnlyList<TransactionPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var unknown = partitions.Select(p => _cluster.Find(p.Topic)?.Partition(p.Partition) is null).ToList();
        if (unknown.Contains(true))
        {
            return unknown.Select(u => u ? ErrorCode.UnknownTopicOrPartition : ErrorCode.OperationNotAttempted).ToList();
        }

        var error = Join(transactionalId, producerId, producerEpoch, m => m with
        {
            Partitions = [.. m.Partitions.Union(partitions)],
        });
        return partitions.Select(_ => error).ToList();
    }

    /// <summary>AddOffsetsToTxn: the group's offsets will be committed (or dropped) with the transaction.</summary>
    public ErrorCode AddOffsets(string transactionalId, long producerId, short producerEpoch, string groupId) =>
        Join(transactionalId, producerId, producerEpoch, m => m with { Groups = [.. m.Groups.Union([groupId], StringComparer.Ordinal)] });

    /// <summary>TxnOffsetCommit: offsets held pending in the group until the transaction ends. The producer must be the
    /// current one (else INVALID_PRODUCER_EPOCH: TxnOffsetCommit has no PRODUCER_FENCED), with the group added to its
    /// ongoing transaction; the group then checks the consumer's generation and member (KIP-447).</summary>
    public IReadOnlyList<OffsetCommitOutcome> CommitOffsets(string transactionalId, short producerEpoch, TxnOffsetCommitCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!_transactions.TryGetValue(transactionalId, out var entry))
        {
            return Fail(ErrorCode.InvalidProducerIdMapping);
        }

        lock (entry.Gate)
        {
            var metadata = entry.Metadata;
            var error = CheckProducer(metadata, command.ProducerId, producerEpoch);
            if (error == ErrorCode.None && (metadata.State != TransactionState.Ongoing || !metadata.Groups.Contains(command.GroupId, StringComparer.Ordinal)))
            {
                error = ErrorCode.InvalidTxnState;
            }

            return error == ErrorCode.None
                ? _groups.CommitTransactionalOffsets(command)
                : Fail(error == ErrorCode.ProducerFenced ? ErrorCode.InvalidProducerEpoch : error);
        }

        List<OffsetCommitOutcome> Fail(ErrorCode error) =>
            command.Offsets.Select(o => new OffsetCommitOutcome(o.Topic, o.Partition, error)).ToList();
    }

    /// <summary>EndTxn: commits or aborts the ongoing transaction — the decision is stored first, then markers go to its
    /// partitions and its groups' pending offsets are applied or dropped. A retry of the same decision succeeds again.</summary>
    public ErrorCode EndTransaction(string transactionalId, long producerId, short producerEpoch, bool commit)
    {
        if (!_transactions.TryGetValue(transactionalId, out var entry))
        {
            return ErrorCode.InvalidProducerIdMapping;
        }

        lock (entry.Gate)
        {
            var metadata = entry.Metadata;
            var error = CheckProducer(metadata, producerId, producerEpoch);
            if (error != ErrorCode.None)
            {
                return error;
            }

            var (prepared, completed) = commit
                ? (TransactionState.PrepareCommit, TransactionState.CompleteCommit)
                : (TransactionState.PrepareAbort, TransactionState.CompleteAbort);
            if (metadata.State == TransactionState.Ongoing)
            {
                if (!TryStore(entry, metadata with { State = prepared }))
                {
                    return ErrorCode.CoordinatorNotAvailable;
                }

                // Decided and stored: a completion that fails now is finished by the timer, so the answer is success.
                TryComplete(entry);
                return ErrorCode.None;
            }

            if (metadata.State == prepared)
            {
                return TryComplete(entry) ? ErrorCode.None : ErrorCode.ConcurrentTransactions;
            }

            return metadata.State == completed ? ErrorCode.None : ErrorCode.InvalidTxnState;
        }
    }

    /// <summary>Appends a transactional producer's batches to a partition: only its current epoch, only to a partition
    /// added to its ongoing transaction (checked and appended under the transaction's lock, so no batch lands after
    /// the marker that ends it). Produce has no PRODUCER_FENCED: a fenced epoch is INVALID_PRODUCER_EPOCH.</summary>
    internal AppendOutcome AppendTransactional(
        string? transactionalId,
        TransactionPartition partition,
        PartitionLog log,
        IReadOnlyList<(ReadOnlyMemory<byte> Bytes, RecordBatchHeader Header)> batches,
        bool fsync)
    {
        if (transactionalId is null || !_transactions.TryGetValue(transactionalId, out var entry))
        {
            return new AppendOutcome(ErrorCode.InvalidProducerIdMapping, -1, -1);
        }

        var header = batches[0].Header;
        lock (entry.Gate)
        {
            var metadata = entry.Metadata;
            var error = CheckProducer(metadata, header.ProducerId, header.ProducerEpoch) switch
            {
                ErrorCode.ProducerFenced => ErrorCode.InvalidProducerEpoch,
                ErrorCode.None when metadata.State != TransactionState.Ongoing || !metadata.Partitions.Contains(partition) => ErrorCode.InvalidTxnState,
                var other => other,
            };
            return error == ErrorCode.None ? log.Append(batches, fsync) : new AppendOutcome(error, -1, -1);
        }
    }

    /// <summary>Aborts the transactions past their timeout (bumping the epoch, so their producer is fenced on its next
    /// request) and retries completions that failed; the timer calls this every <see cref="TransactionCoordinatorOptions.CheckInterval"/>.</summary>
    public void Check()
    {
        try
        {
            var now = _time.GetUtcNow();
            foreach (var entry in _transactions.Values)
            {
                lock (entry.Gate)
                {
                    var metadata = entry.Metadata;
                    if (metadata.State == TransactionState.Ongoing && now - metadata.StartedAt > metadata.Timeout)
                    {
                        FenceAndAbort(entry, $"open longer than its timeout of {metadata.Timeout.TotalMilliseconds:0} ms");
                    }
                    else
                    {
                        TryComplete(entry);
                    }
                }
            }
        }
#pragma warning disable CA1031 // An exception escaping a timer callback ends the process; log it and check again next time.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            TransactionCoordinatorLog.CheckFailed(_logger, exception);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _store.Dispose();
    }

    /// <summary>Stops the timer, waiting for a check in progress (the broker disposes the logs and the group coordinator
    /// right after), then the store: from here on no change counts as stored.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }

        _store.Dispose();
    }

    private static ErrorCode CheckProducer(TransactionMetadata metadata, long producerId, short producerEpoch) =>
        metadata.ProducerId != producerId ? ErrorCode.InvalidProducerIdMapping
        : producerEpoch != metadata.ProducerEpoch ? ErrorCode.ProducerFenced
        : ErrorCode.None;

    /// <summary>Adds to the producer's transaction (starting one when none is ongoing) through <paramref name="add"/>.</summary>
    private ErrorCode Join(string transactionalId, long producerId, short producerEpoch, Func<TransactionMetadata, TransactionMetadata> add)
    {
        if (!_transactions.TryGetValue(transactionalId, out var entry))
        {
            return ErrorCode.InvalidProducerIdMapping;
        }

        lock (entry.Gate)
        {
            var error = CheckProducer(entry.Metadata, producerId, producerEpoch);
            if (error != ErrorCode.None)
            {
                return error;
            }

            if (!TryComplete(entry))
            {
                return ErrorCode.ConcurrentTransactions;
            }

            var metadata = entry.Metadata;
            var ongoing = metadata.State == TransactionState.Ongoing;
            var next = add(ongoing
                ? metadata
                : metadata with { State = TransactionState.Ongoing, Partitions = [], Groups = [], StartedAt = _time.GetUtcNow() });
            if (ongoing && next.Partitions.Count == metadata.Partitions.Count && next.Groups.Count == metadata.Groups.Count)
            {
                return ErrorCode.None; // all there already: nothing to store
            }

            return TryStore(entry, next) ? ErrorCode.None : ErrorCode.CoordinatorNotAvailable;
        }
    }

    /// <summary>Aborts the ongoing transaction with the epoch bumped, so the producer that opened it is fenced. Under the
    /// entry's lock. False when the abort is decided but could not be finished yet.</summary>
    private bool FenceAndAbort(TransactionEntry entry, string reason)
    {
        var metadata = entry.Metadata;
        var fenced = metadata with
        {
            ProducerEpoch = metadata.ProducerEpoch < short.MaxValue ? (short)(metadata.ProducerEpoch + 1) : metadata.ProducerEpoch,
            LastProducerEpoch = -1,
            State = TransactionState.PrepareAbort,
        };
        if (!TryStore(entry, fenced))
        {
            return false;
        }

        TransactionCoordinatorLog.Fenced(_logger, metadata.TransactionalId, metadata.ProducerEpoch, reason);
        return TryComplete(entry);
    }

    /// <summary>Finishes a decided transaction (<see cref="TransactionCompletion"/>), then stores it completed. Under the
    /// entry's lock. True when nothing is left to finish.</summary>
    private bool TryComplete(TransactionEntry entry)
    {
        var metadata = entry.Metadata;
        if (!metadata.IsPrepared)
        {
            return true;
        }

        var markersMayExist = entry.MarkersMayExist;
        entry.MarkersMayExist = true;
        var commit = metadata.State == TransactionState.PrepareCommit;
        var completed = metadata with
        {
            State = commit ? TransactionState.CompleteCommit : TransactionState.CompleteAbort,
            Partitions = [],
            Groups = [],
        };
        if (!_completion.TryApply(metadata, markersMayExist) || !TryStore(entry, completed))
        {
            return false;
        }

        entry.MarkersMayExist = false;
        TransactionCoordinatorLog.Completed(_logger, metadata.TransactionalId, commit ? "committed" : "aborted", metadata.Partitions.Count, metadata.Groups.Count);
        return true;
    }

    /// <summary>Stores the entry's next metadata (durably first, when there is a state log) and makes it current. Under
    /// the entry's lock. False when it could not be stored; the metadata then stays as it was.</summary>
    private bool TryStore(TransactionEntry entry, TransactionMetadata next)
    {
        if (!_store.TryStore(next))
        {
            return false;
        }

        entry.Metadata = next;
        return true;
    }
}
