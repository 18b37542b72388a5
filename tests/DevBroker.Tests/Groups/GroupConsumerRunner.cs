using Confluent.Kafka;

namespace InventoryOrleans.DevBroker.Tests.Groups;

/// <summary>
/// One group member on its own thread (a Confluent consumer is used from one thread): consumes, records each record
/// in the ledger, commits every few records and when idle, and stops by Close (leave) or by Dispose without Close (crash).
/// </summary>
internal sealed class GroupConsumerRunner
{
    private readonly ConsumerConfig _config;
    private readonly string _topic;
    private readonly GroupDeliveryLedger _ledger;
    private readonly int _commitEvery;
    private readonly Lock _gate = new();
    private readonly HashSet<int> _assigned = [];
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile int _stop; // 0 run, 1 close, 2 crash

    public GroupConsumerRunner(string name, ConsumerConfig config, string topic, GroupDeliveryLedger ledger, int commitEvery = 200)
    {
        Name = name;
        _config = config;
        _topic = topic;
        _ledger = ledger;
        _commitEvery = commitEvery;
        new Thread(Run) { IsBackground = true, Name = name }.Start();
    }

    public string Name { get; }

    public IReadOnlySet<int> Assigned
    {
        get
        {
            lock (_gate)
            {
                return _assigned.ToHashSet();
            }
        }
    }

    public Task Stopped => _stopped.Task;

    /// <summary>Commits what it processed, then leaves the group (LeaveGroup → rebalance).</summary>
    public Task CloseAsync()
    {
        _stop = 1;
        return _stopped.Task;
    }

    /// <summary>
    /// Disposes the consumer without Close, right after processing a record it has not committed (when records are
    /// flowing): the broker only notices when the session times out, and that record is delivered again elsewhere.
    /// </summary>
    public Task CrashAsync()
    {
        _stop = 2;
        return _stopped.Task;
    }

    private void Run()
    {
        try
        {
            var consumer = new ConsumerBuilder<string, string>(_config)
                .SetPartitionsAssignedHandler((_, partitions) => Change(partitions.Select(p => p.Partition.Value), add: true))
                .SetPartitionsRevokedHandler((_, partitions) => Change(partitions.Select(p => p.Partition.Value), add: false))
                .SetPartitionsLostHandler((_, partitions) => Change(partitions.Select(p => p.Partition.Value), add: false))
                .Build();
            consumer.Subscribe(_topic);
            var uncommitted = 0;
            var crashRequestedAt = (DateTime?)null;
            while (_stop == 0 || (_stop == 2 && uncommitted == 0 && DateTime.UtcNow - (crashRequestedAt ??= DateTime.UtcNow) < TimeSpan.FromSeconds(3)))
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(50));
                if (result is null || result.IsPartitionEOF)
                {
                    if (_stop == 0 && uncommitted > 0)
                    {
                        uncommitted = Commit(consumer);
                    }

                    continue;
                }

                _ledger.Delivered(Name, result.Partition.Value, result.Offset.Value, result.Message.Value);
                uncommitted++;
                if (_stop == 0 && uncommitted >= _commitEvery)
                {
                    uncommitted = Commit(consumer);
                }
            }

            if (_stop == 1)
            {
                Commit(consumer);
                consumer.Close();
            }

            // Crash: Dispose without Close sends no LeaveGroup and commits nothing.
            consumer.Dispose();
            _stopped.TrySetResult();
        }
        catch (Exception exception) when (exception is KafkaException or InvalidOperationException)
        {
            _stopped.TrySetException(exception);
        }
    }

    private int Commit(IConsumer<string, string> consumer)
    {
        try
        {
            foreach (var committed in consumer.Commit())
            {
                _ledger.Committed(Name, committed.Partition.Value, committed.Offset.Value);
            }
        }
        catch (TopicPartitionOffsetException partial)
        {
            // At-least-once: a commit refused during a rebalance just means those records may come again.
            foreach (var committed in partial.Results.Where(r => r.Error.Code == ErrorCode.NoError))
            {
                _ledger.Committed(Name, committed.Partition.Value, committed.Offset.Value);
            }
        }
        catch (KafkaException)
        {
            // No offsets to commit (nothing assigned right now) or the group is rebalancing.
        }

        return 0;
    }

    private void Change(IEnumerable<int> partitions, bool add)
    {
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                if (add)
                {
                    _assigned.Add(partition);
                }
                else
                {
                    _assigned.Remove(partition);
                }
            }
        }
    }
}
