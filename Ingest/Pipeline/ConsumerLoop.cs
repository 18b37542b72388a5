using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// The silo's one Confluent.Kafka consumer in the silos' group (range assignor, manual commits, <c>read_committed</c>)
/// and what it owns: the messages polled for the next batch, the position after the last message handed on per
/// partition, the pause of an outage, and the lag. Used from the ingest thread only; the group's callbacks run inside
/// its poll (<see cref="InCallback"/>).
/// </summary>
internal sealed class ConsumerLoop(KafkaOptions options, IngestMetrics metrics, TimeProvider time, ILogger logger, CancellationToken kill)
{
    private readonly Dictionary<TopicPartition, long> _nextOffsets = [];
    private readonly LagSampler _lag = new(metrics, time, logger);
    private readonly List<TopicPartition> _marksToPause = [];
    private readonly List<ConsumeResult<byte[], byte[]>> _carry = [];
    private List<ConsumeResult<byte[], byte[]>> _collecting = [];
    private IConsumer<byte[], byte[]>? _consumer;
    private bool _paused;
    private ErrorCode? _consumeFailing;
    private long _collectStarted;

    /// <summary>The consumer, once <see cref="Open"/> built it.</summary>
    public IConsumer<byte[], byte[]> Consumer => _consumer ?? throw new InvalidOperationException("The consumer is not open yet.");

    /// <summary>Whether a group callback (assignment, revocation, loss) is running, inside this consumer's poll.</summary>
    public bool InCallback { get; private set; }

    /// <summary>How many messages are collected for the next batch.</summary>
    public int CollectedCount => _collecting.Count;

    /// <summary>Builds the consumer with the group's callbacks and subscribes it to the inputs and the publication marks.</summary>
    public void Open(RebalanceHandler rebalance)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            ClientId = ClientIds.For(options, "consumer"),
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,

            // Inputs written in transactions count only once committed; and a partition whose previous owner has
            // offsets pending in a transaction starts only once that transaction ended (KIP-447).
            IsolationLevel = IsolationLevel.ReadCommitted,
            SessionTimeoutMs = options.SessionTimeout.ToKafkaMilliseconds(),
            HeartbeatIntervalMs = options.HeartbeatInterval.ToKafkaMilliseconds(),
            MaxPollIntervalMs = options.MaxPollInterval.ToKafkaMilliseconds(),
            AllowAutoCreateTopics = false,
            FetchWaitMaxMs = options.FetchWaitMax.ToKafkaMilliseconds(),

            // librdkafka stops fetching once its queue holds queued.min.messages (default 100,000) and then backs off
            // for a second, so consumption came in bursts; keep fetching until the byte bound instead.
            QueuedMinMessages = 1_000_000,
            QueuedMaxMessagesKbytes = 65_536,
            EnablePartitionEof = false,
        };
        _consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetPartitionsAssignedHandler((_, partitions) => rebalance.OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => rebalance.OnRevoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => rebalance.OnLost(partitions))
            .SetErrorHandler((_, error) => rebalance.OnError(error))
            .SetLogHandler((_, message) => IngestLog.Librdkafka(logger, message.Facility, message.Message))
            .Build();
        _consumer.Subscribe(Topics.Subscribed);
    }

    /// <summary>Leaves the group (graceful stop, after the last batch committed).</summary>
    public void Close() => _consumer?.Close();

    /// <summary>
    /// Frees the consumer. After a kill it is destroyed without leaving the group, as a crash would; after
    /// <see cref="Close"/> this only frees the handle; after an unexpected failure it also leaves the group.
    /// </summary>
    public void Release(bool killed)
    {
        if (_consumer is null)
        {
            return;
        }

        if (killed)
        {
            ConsumerKiller.DestroyWithoutLeaving(_consumer);
        }
        else
        {
            _consumer.Dispose();
        }
    }

    /// <summary>
    /// Fills the next batch up to MaxBatchSize, waiting at most BatchLinger after the first message (by default not
    /// at all: the batch takes what the consumer has buffered, so a message never waits for others that are not there).
    /// </summary>
    public void Collect(CancellationToken stopping, BatchRunner runner)
    {
        if (_carry.Count > 0)
        {
            _collecting.AddRange(_carry);
            _carry.Clear();
        }

        var lingerStarted = _collecting.Count > 0 ? time.GetTimestamp() : 0;
        try
        {
            CollectFrom(lingerStarted, stopping, runner);
        }
        finally
        {
            if (_collecting.Count > 0)
            {
                metrics.RecordStage(IngestStage.Consume, time.GetElapsedTime(_collectStarted));
            }
        }
    }

    /// <summary>Hands the collected messages over (to a new batch) and starts collecting afresh.</summary>
    public List<ConsumeResult<byte[], byte[]>> TakeCollected()
    {
        var collected = _collecting;
        _collecting = [];
        return collected;
    }

    /// <summary>Drops what was collected for the next batch (its partitions were lost).</summary>
    public void DropCollecting() => _collecting.Clear();

    /// <summary>Drops what was carried over a batch in flight (the loop stops).</summary>
    public void DropCarried() => _carry.Clear();

    /// <summary>Polls once; a message's partition position moves past it. A failing poll is logged once per error.</summary>
    public ConsumeResult<byte[], byte[]>? Poll(TimeSpan wait)
    {
        if (_marksToPause.Count > 0 && !InCallback)
        {
            TryPause(_marksToPause);
            _marksToPause.Clear();
        }

        try
        {
            var message = Consumer.Consume(wait);
            if (message is not null)
            {
                _nextOffsets[message.TopicPartition] = message.Offset.Value + 1;
                if (_consumeFailing is not null)
                {
                    _consumeFailing = null;
                    IngestLog.ConsumingAgain(logger);
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
                IngestLog.ConsumeError(logger, e.Error.Code, e.Error.Reason);
            }
            else
            {
                IngestLog.ConsumeErrorAgain(logger, e.Error.Code, e.Error.Reason);
            }

            return null;
        }
    }

    /// <summary>Keeps a message fetched while a batch is in flight for the batch after it.</summary>
    public void Carry(ConsumeResult<byte[], byte[]> message) => _carry.Add(message);

    /// <summary>
    /// Reads again from the earliest of <paramref name="dropped"/> per partition: what is collected and carried is
    /// dropped too (it lies after them), and the consumer seeks back.
    /// </summary>
    public void ReadAgainFrom(IEnumerable<IEnumerable<ConsumeResult<byte[], byte[]>>> dropped)
    {
        var from = new Dictionary<TopicPartition, long>();
        foreach (var messages in dropped)
        {
            Earliest(from, messages);
        }

        Earliest(from, _collecting);
        Earliest(from, _carry);
        _collecting.Clear();
        _carry.Clear();
        foreach (var (partition, offset) in from)
        {
            _nextOffsets[partition] = offset;
            TrySeek(new TopicPartitionOffset(partition, offset));
        }

        static void Earliest(Dictionary<TopicPartition, long> from, IEnumerable<ConsumeResult<byte[], byte[]>> messages)
        {
            foreach (var message in messages)
            {
                if (!from.TryGetValue(message.TopicPartition, out var offset) || message.Offset.Value < offset)
                {
                    from[message.TopicPartition] = message.Offset.Value;
                }
            }
        }
    }

    /// <summary>Pauses every assigned partition for an outage (once; not inside a callback, which cannot).</summary>
    public void PauseForOutage()
    {
        if (!_paused && !InCallback)
        {
            _paused = true;
            TryPause(Consumer.Assignment);
        }
    }

    /// <summary>While paused for an outage, pauses what a rebalance assigned meanwhile too.</summary>
    public void KeepPaused()
    {
        if (_paused)
        {
            TryPause(Consumer.Assignment);
        }
    }

    /// <summary>
    /// Ends an outage's pause (not inside a callback), continuing exactly after the last message handed on, whatever
    /// was prefetched before the pause.
    /// </summary>
    public void ResumeAfterOutage()
    {
        if (!_paused || InCallback)
        {
            return;
        }

        _paused = false;
        var inputs = InputAssignment();
        Consumer.Resume(inputs);
        foreach (var partition in inputs)
        {
            if (_nextOffsets.TryGetValue(partition, out var next))
            {
                TrySeek(new TopicPartitionOffset(partition, next));
            }
        }
    }

    /// <summary>Runs a group callback's work, marked as inside the poll; a kill unwinding through it stops there.</summary>
    public void RunInCallback(Action action)
    {
        var outer = InCallback;
        InCallback = true;
        try
        {
            action();
        }
        catch (OperationCanceledException) when (kill.IsCancellationRequested)
        {
            // Unwinding a kill through librdkafka's callback is not allowed; the loop sees the kill right after.
        }
        finally
        {
            InCallback = outer;
        }
    }

    /// <summary>
    /// New partitions start afresh: positions unknown until read (the inputs start at the group's committed offsets),
    /// and the publication marks, only ever committed to, are paused on the next poll.
    /// </summary>
    public void Assigned(List<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _nextOffsets.Remove(partition);
            _lag.Forget(partition);
        }

        _marksToPause.AddRange(partitions.Where(p => p.Topic == Topics.PublicationMarks));
    }

    /// <summary>Forgets everything about partitions that left (revoked or lost).</summary>
    public void Forget(List<TopicPartition> partitions)
    {
        _carry.RemoveAll(m => partitions.Contains(m.TopicPartition));
        _marksToPause.RemoveAll(partitions.Contains);

        // librdkafka keeps an application's pause on a partition across assignments (a new assignment lifts only the
        // library's own pauses), and ResumeAfterOutage resumes only what is assigned at that moment. A partition paused
        // for an outage and then revoked or lost (a broker restart brings both at once) was never fetched again once it
        // was assigned back, so its offsets were never committed: the pause goes with the partition.
        TryResume(partitions);
        foreach (var partition in partitions)
        {
            _nextOffsets.Remove(partition);
            _lag.Forget(partition);
        }
    }

    /// <summary>Reports each input partition's lag, at most once a second (<see cref="LagSampler"/>).</summary>
    public void SampleLag()
    {
        if (_lag.Due)
        {
            _lag.Sample(Consumer, InputAssignment(), _nextOffsets);
        }
    }

    private void CollectFrom(long lingerStarted, CancellationToken stopping, BatchRunner runner)
    {
        _collectStarted = lingerStarted;
        var idleSince = time.GetTimestamp();
        while (_collecting.Count < options.MaxBatchSize)
        {
            kill.ThrowIfCancellationRequested();
            TimeSpan wait;
            if (_collecting.Count == 0)
            {
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                wait = options.PollTimeout;
            }
            else
            {
                wait = options.BatchLinger - time.GetElapsedTime(lingerStarted);
                if (wait <= TimeSpan.Zero)
                {
                    // Take what is already fetched without waiting; stop at the first empty poll.
                    wait = TimeSpan.Zero;
                }
            }

            // While a transaction is on its way, an idle wait looks at it often: its outcome is taken as soon as it is known.
            var committing = _collecting.Count == 0 && runner.CommitPending;
            var message = Poll(committing ? TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds, 2)) : wait);
            if (message is null)
            {
                // (A rebalance callback inside the poll may have finished it meanwhile.)
                if (committing && runner.CommitPending && time.GetElapsedTime(idleSince) < wait)
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
                lingerStarted = time.GetTimestamp();
                _collectStarted = lingerStarted;
            }

            _collecting.Add(message);
        }
    }

    // The assigned input partitions (the publication marks' partitions are assigned too, but never read).
    private List<TopicPartition> InputAssignment() => Consumer.Assignment.Where(p => p.Topic != Topics.PublicationMarks).ToList();

    private void TryPause(IEnumerable<TopicPartition> partitions)
    {
        try
        {
            Consumer.Pause(partitions);
        }
        catch (KafkaException e)
        {
            IngestLog.ConsumeError(logger, e.Error.Code, e.Error.Reason);
        }
    }

    private void TryResume(IEnumerable<TopicPartition> partitions)
    {
        try
        {
            Consumer.Resume(partitions);
        }
        catch (KafkaException e)
        {
            IngestLog.ConsumeError(logger, e.Error.Code, e.Error.Reason);
        }
    }

    private void TrySeek(TopicPartitionOffset position)
    {
        try
        {
            Consumer.Seek(position);
        }
        catch (KafkaException e)
        {
            IngestLog.ConsumeError(logger, e.Error.Code, e.Error.Reason);
        }
    }
}
