using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace InventoryOrleans.Silo.Tests;

/// <summary>One record of a <see cref="TopicTail"/>, with the moment the test saw it.</summary>
public sealed record TailRecord(DateTimeOffset SeenAt, int Partition, long Offset, string Key, JsonElement Value);

/// <summary>
/// Reads a topic from its beginning and keeps reading, on a thread of its own, noting when each record arrived: one
/// long-lived consumer (no group, so it never joins the silos'), which rides out a broker restart by itself. Lets a
/// test measure when something became visible instead of re-reading the topic in a loop.
/// </summary>
public sealed class TopicTail : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TailRecord> _records = [];
    private readonly Lock _recordsLock = new();
    private readonly Task _loop;

    public TopicTail(string bootstrapServers, string topic, int partitions)
    {
        _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            // Only what committed transactions wrote (aborted attempts of a silo that failed are never seen).
            IsolationLevel = IsolationLevel.ReadCommitted,
            BootstrapServers = bootstrapServers,
            GroupId = "silo-tests-tail-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            FetchWaitMaxMs = 50,
        }).SetLogHandler((_, _) => { }).Build();
        _consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Every record seen so far, in arrival order.</summary>
    public IReadOnlyList<TailRecord> Records
    {
        get
        {
            lock (_recordsLock)
            {
                return [.. _records];
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(10));
        _consumer.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            ConsumeResult<byte[], byte[]>? result;
            try
            {
                result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException)
            {
                // The broker is away (a silo with its embedded broker was killed); the consumer reconnects by itself.
                continue;
            }

            if (result?.Message is null)
            {
                continue;
            }

            var record = new TailRecord(
                DateTimeOffset.UtcNow,
                result.Partition.Value,
                result.Offset.Value,
                Encoding.UTF8.GetString(result.Message.Key ?? []),
                JsonDocument.Parse(result.Message.Value).RootElement.Clone());
            lock (_recordsLock)
            {
                _records.Add(record);
            }
        }
    }
}
