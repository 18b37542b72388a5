using System.Diagnostics;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Placement;
using InventoryOrleans.Grains.Publication;
using InventoryOrleans.Ingest.Expiry;
using InventoryOrleans.Ingest.Decoding;
using InventoryOrleans.Ingest.Health;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Options;
using InventoryOrleans.Ingest.Publishing;
using InventoryOrleans.Ingest.Rollback;
using InventoryOrleans.Ingest.Transactions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// The silo's consumer loop: one Confluent.Kafka consumer in the silos' group (range assignor, manual commits,
/// <c>read_committed</c>) over the three input topics and the publication marks. Per batch: apply each product's events
/// to its grain and persist once → in one Kafka transaction, the dead letters, outcomes, alerts and net stock, the
/// input offsets and the publication marks, with the consumer's group metadata → commit. Expiry releases of the
/// products it owns go out in its transactions too. A crash anywhere replays at most that batch, which the grains
/// answer with their original decisions. Runs on its own thread, because the consumer's poll blocks and its rebalance
/// callbacks run inside it.
/// </summary>
public sealed partial class IngestPipeline
{
    // A stop during an outage does not wait forever: the batch stays uncommitted and the next owner replays it.
    private static readonly TimeSpan StopGiveUp = TimeSpan.FromSeconds(5);

    // The one broker request of lag sampling, on the consumer's thread: short.
    private static readonly TimeSpan LagLookupTimeout = TimeSpan.FromSeconds(1);

    // Expiry products taken into one batch at most (the rest wait for the next).
    private const int MaxExpiriesPerBatch = 1_000;

    private readonly KafkaOptions _options;
    private readonly IGrainFactory _grains;
    private readonly BatchProcessor _processor;
    private readonly InputDecoder _decoder;
    private readonly IBatchCommitter _committer;
    private readonly PublicationEpochs _epochs;
    private readonly ExpiryQueue _expiries;
    private readonly LocalProductActivations _activations;
    private readonly PartitionOwnership _ownership;
    private readonly IngestMetrics _metrics;
    private readonly IngestHealth _health;
    private readonly RollbackDetector _rollback;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestPipeline> _logger;

    // Registered by tests only (see IBatchFaultInjector); empty in a silo.
    private readonly IBatchFaultInjector[] _faults;
    private readonly CancellationTokenSource _kill = new();
    private readonly Dictionary<TopicPartition, long> _nextOffsets = [];
    private readonly Dictionary<TopicPartition, Offset> _committedAtAssignment = [];
    private readonly HashSet<int> _revokedAwaitingAssignment = [];
    private readonly List<TopicPartition> _marksToPause = [];
    private List<ConsumeResult<byte[], byte[]>> _collecting = [];
    private List<ConsumeResult<byte[], byte[]>> _carry = [];
    private IngestBatch? _inFlight;

    // The batch whose transaction runs on the committer's worker while the next one is consumed and applied.
    private (IngestBatch Batch, PendingCommit Commit)? _committing;

    // A batch applied after one that did not commit, waiting to start over while that one is retried.
    private IngestBatch? _behind;
    private IConsumer<byte[], byte[]>? _consumer;
    private bool _paused;
    private bool _inCallback;
    private CancellationToken _stopping;
    private long _lastLagSample;
    private ErrorCode? _consumeFailing;
    private long _collectStarted;

    public IngestPipeline(
        IGrainFactory grains,
        IngestPublisher publisher,
        InputDecoder decoder,
        OutputSerializer serializer,
        IPublicationHistory publicationHistory,
        ExpiryQueue expiries,
        ILocalSiloDetails silo,
        LocalProductActivations activations,
        PartitionOwnership ownership,
        IngestMetrics metrics,
        IngestHealth health,
        RollbackDetector rollback,
        TimeProvider time,
        IOptions<KafkaOptions> options,
        ILogger<IngestPipeline> logger,
        IEnumerable<IBatchFaultInjector> faults)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(silo);
        _options = options.Value;
        _grains = grains;
        _processor = new BatchProcessor(grains, activations, metrics, serializer, options);
        _decoder = decoder;
        _committer = _options.Transactions
            ? new TransactionalCommitter(_options, TransactionalIds.For(_options, silo.SiloAddress), metrics, time, logger)
            : new IdempotentCommitter(publisher, metrics, time);
        _epochs = new PublicationEpochs(publicationHistory);
        _expiries = expiries;
        _activations = activations;
        _ownership = ownership;
        _metrics = metrics;
        _health = health;
        _rollback = rollback;
        _time = time;
        _logger = logger;
        _faults = [.. faults];
    }

    /// <summary>Whether <see cref="Kill"/> was called.</summary>
    public bool Killed => _kill.IsCancellationRequested;

    /// <summary>
    /// Simulates a crash (tests): the loop stops at its next step without persisting, publishing or committing more,
    /// and the consumer is destroyed without leaving the group, so the group notices only by session timeout.
    /// </summary>
    public void Kill() => _kill.Cancel();

    /// <summary>
    /// Runs until <paramref name="stopping"/> fires, then finishes the current batch (persist, publish, commit),
    /// closes the consumer (leaving the group) and returns. Blocks the calling thread.
    /// </summary>
    public void Run(CancellationToken stopping)
    {
        _stopping = stopping;
        _consumer = BuildConsumer();
        _consumer.Subscribe(Topics.Subscribed);
        _health.SetRunning(true);
        Log.Started(_logger, _options.GroupId, _options.BootstrapServers);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                Collect(stopping);
                FlushCollected();
                SampleLag();
            }

            // Graceful stop: what was consumed is finished before the consumer leaves the group.
            FlushCollected();
            FinishCommitting(next: null);
            _carry.Clear();
            ThrowIfKilled();
            _consumer.Close();
            Log.Stopped(_logger);
        }
        catch (Exception) when (Killed)
        {
            // Whatever the kill interrupted (a wait, a grain call, a publish) is abandoned, as a crash would.
            Log.KilledNow(_logger);
        }
        finally
        {
            if (Killed)
            {
                ConsumerKiller.DestroyWithoutLeaving(_consumer);
            }
            else
            {
                // After Close this only frees the handle; after an unexpected failure it also leaves the group.
                _consumer.Dispose();
            }

            // A transaction left open by a kill is aborted by the broker (its timeout) or by this silo's next producer.
            _committer.Dispose();

            _health.SetRunning(false);
            _health.SetAssignedPartitions(0);
            _ownership.Clear();
        }
    }

    private IConsumer<byte[], byte[]> BuildConsumer()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _options.BootstrapServers,
            GroupId = _options.GroupId,
            ClientId = ClientIds.For(_options, "consumer"),
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,

            // Inputs written in transactions count only once committed; and a partition whose previous owner has
            // offsets pending in a transaction starts only once that transaction ended (KIP-447).
            IsolationLevel = IsolationLevel.ReadCommitted,
            SessionTimeoutMs = _options.SessionTimeoutMs,
            HeartbeatIntervalMs = _options.HeartbeatIntervalMs,
            MaxPollIntervalMs = _options.MaxPollIntervalMs,
            AllowAutoCreateTopics = false,
            FetchWaitMaxMs = _options.FetchWaitMaxMs,

            // librdkafka stops fetching once its queue holds queued.min.messages (default 100,000) and then backs off
            // for a second, so consumption came in bursts; keep fetching until the byte bound instead.
            QueuedMinMessages = 1_000_000,
            QueuedMaxMessagesKbytes = 65_536,
            EnablePartitionEof = false,
        };
        return new ConsumerBuilder<byte[], byte[]>(config)
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => OnLost(partitions))
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, message) => Log.Librdkafka(_logger, message.Facility, message.Message))
            .Build();
    }

    // Fills _collecting up to MaxBatchSize, waiting at most BatchLingerMs after the first message (by default not at
    // all: the batch takes what the consumer has buffered, so a message never waits for others that are not there).
    private void Collect(CancellationToken stopping)
    {
        if (_carry.Count > 0)
        {
            _collecting.AddRange(_carry);
            _carry.Clear();
        }

        var lingerStarted = _collecting.Count > 0 ? _time.GetTimestamp() : 0;
        try
        {
            CollectFrom(lingerStarted, stopping);
        }
        finally
        {
            if (_collecting.Count > 0)
            {
                _metrics.RecordStage(IngestStage.Consume, _time.GetElapsedTime(_collectStarted));
            }
        }
    }

    private void CollectFrom(long lingerStarted, CancellationToken stopping)
    {
        _collectStarted = lingerStarted;
        var idleSince = _time.GetTimestamp();
        while (_collecting.Count < _options.MaxBatchSize)
        {
            ThrowIfKilled();
            TimeSpan wait;
            if (_collecting.Count == 0)
            {
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                wait = TimeSpan.FromMilliseconds(_options.PollTimeoutMs);
            }
            else
            {
                wait = TimeSpan.FromMilliseconds(_options.BatchLingerMs) - _time.GetElapsedTime(lingerStarted);
                if (wait <= TimeSpan.Zero)
                {
                    // Take what is already fetched without waiting; stop at the first empty poll.
                    wait = TimeSpan.Zero;
                }
            }

            // While a transaction is on its way, an idle wait looks at it often: its outcome is taken as soon as it is known.
            var committing = _collecting.Count == 0 && _committing is { } pending && !pending.Commit.IsCompleted;
            var message = Poll(committing ? TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds, 2)) : wait);
            if (message is null)
            {
                // (A rebalance callback inside the poll may have finished it meanwhile.)
                if (committing && _committing is { } still && !still.Commit.IsCompleted && _time.GetElapsedTime(idleSince) < wait)
                {
                    continue;
                }

                // Idle: back to the loop, which samples the lag, so a lag seen during a burst does not stay once it is consumed.
                if (_collecting.Count == 0 || wait == TimeSpan.Zero)
                {
                    return;
                }

                continue;
            }

            if (_collecting.Count == 0)
            {
                lingerStarted = _time.GetTimestamp();
                _collectStarted = lingerStarted;
            }

            _collecting.Add(message);
        }
    }

    private ConsumeResult<byte[], byte[]>? Poll(TimeSpan wait)
    {
        if (_marksToPause.Count > 0 && !_inCallback)
        {
            TryPause(_marksToPause);
            _marksToPause.Clear();
        }

        try
        {
            var message = _consumer!.Consume(wait);
            if (message is not null)
            {
                _nextOffsets[message.TopicPartition] = message.Offset.Value + 1;
                if (_consumeFailing is not null)
                {
                    _consumeFailing = null;
                    Log.ConsumingAgain(_logger);
                }
            }

            return message;
        }
        catch (ConsumeException e)
        {
            // A failing poll repeats at the poll rate: one line when the error starts or changes.
            if (_consumeFailing != e.Error.Code)
            {
                _consumeFailing = e.Error.Code;
                Log.ConsumeError(_logger, e.Error.Code, e.Error.Reason);
            }
            else
            {
                Log.ConsumeErrorAgain(_logger, e.Error.Code, e.Error.Reason);
            }

            return null;
        }
    }

    private void FlushCollected()
    {
        var expiries = TakeExpiries();
        if (_collecting.Count == 0 && expiries.Count == 0)
        {
            // Nothing to apply meanwhile: the batch on its way is finished now (its retry, should it need one, too).
            FinishCommitting(next: null);
            return;
        }

        var batch = new IngestBatch(_collecting, expiries, _time);
        _collecting = [];
        foreach (var (topic, count) in batch.Messages.CountBy(m => m.Topic))
        {
            _metrics.RecordConsumed(topic, count);
        }

        Complete(batch, overlap: CanOverlap);
        if (_paused && !_inCallback)
        {
            // A rebalance finished (or gave up) the batch while it waited; the new assignment starts unpaused.
            ResumeConsumption();
        }
    }

    // The queued expiry products of the partitions this silo owns. Others are dropped: their grain's reminder queues
    // them again where it runs, and the grain moves to the silo that owns its partition.
    private List<(string ProductId, int Partition)> TakeExpiries()
    {
        if (_expiries.Count == 0)
        {
            return [];
        }

        var owned = new List<(string, int)>();
        foreach (var productId in _expiries.Take(MaxExpiriesPerBatch))
        {
            if (_ownership.Owns(productId))
            {
                owned.Add((productId, _ownership.PartitionOf(productId)));
            }
        }

        return owned;
    }

    // The assigned input partitions (the publication marks' partitions are assigned too, but never read).
    private List<TopicPartition> InputAssignment() => _consumer!.Assignment.Where(p => p.Topic != Topics.PublicationMarks).ToList();

    private void SampleLag()
    {
        if (_time.GetElapsedTime(_lastLagSample) < TimeSpan.FromSeconds(1) && _lastLagSample != 0)
        {
            return;
        }

        _lastLagSample = _time.GetTimestamp();
        var assignment = InputAssignment();
        LearnCommittedOffsets(assignment);
        foreach (var partition in assignment)
        {
            // Cached from fetch responses: no request to the broker.
            var watermarks = _consumer!.GetWatermarkOffsets(partition);
            if (watermarks.High == Offset.Unset)
            {
                continue;
            }

            long position;
            if (_nextOffsets.TryGetValue(partition, out var next))
            {
                position = next;
            }
            else if (_committedAtAssignment.TryGetValue(partition, out var committed))
            {
                // Nothing read since the assignment: consumption starts at the committed offset (none: the log start).
                position = committed == Offset.Unset ? watermarks.Low.Value : committed.Value;
            }
            else
            {
                continue;
            }

            _metrics.RecordLag(partition.Topic, partition.Partition.Value, watermarks.High.Value - position);
        }
    }

    // Asks the group once per assignment where partitions nothing was read from yet start; until it answers their lag
    // is not reported (counting from the log start would show every retained message as lag after each rebalance).
    private void LearnCommittedOffsets(List<TopicPartition> assignment)
    {
        var unknown = assignment.Where(p => !_nextOffsets.ContainsKey(p) && !_committedAtAssignment.ContainsKey(p)).ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        try
        {
            foreach (var committed in _consumer!.Committed(unknown, LagLookupTimeout))
            {
                _committedAtAssignment[committed.TopicPartition] = committed.Offset;
            }
        }
        catch (KafkaException e)
        {
            Log.CommittedLookupFailed(_logger, e.Error.Code, e.Error.Reason);
        }
    }

    private void TryPause(IEnumerable<TopicPartition> partitions)
    {
        try
        {
            _consumer!.Pause(partitions);
        }
        catch (KafkaException e)
        {
            Log.ConsumeError(_logger, e.Error.Code, e.Error.Reason);
        }
    }

    private void TryResume(IEnumerable<TopicPartition> partitions)
    {
        try
        {
            _consumer!.Resume(partitions);
        }
        catch (KafkaException e)
        {
            Log.ConsumeError(_logger, e.Error.Code, e.Error.Reason);
        }
    }

    private void TrySeek(TopicPartitionOffset position)
    {
        try
        {
            _consumer!.Seek(position);
        }
        catch (KafkaException e)
        {
            Log.ConsumeError(_logger, e.Error.Code, e.Error.Reason);
        }
    }

    private void ThrowIfKilled() => _kill.Token.ThrowIfCancellationRequested();
}
