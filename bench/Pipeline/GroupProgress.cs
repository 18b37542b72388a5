using Confluent.Kafka;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// Whether a consumer group has committed the end of every input partition: the end of a backlog phase, counted by
/// the group's own commits (so a batch replayed after a rebalance is not mistaken for progress). Reads offsets with
/// a consumer of the group that never subscribes, so it never joins the group.
/// </summary>
internal sealed class GroupProgress : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _reader;
    private readonly List<TopicPartition> _partitions;
    private readonly Dictionary<TopicPartition, long> _ends;

    public GroupProgress(string bootstrap, string groupId, IEnumerable<string> topics, int partitions)
    {
        _reader = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = groupId, EnableAutoCommit = false })
            .SetLogHandler((_, _) => { })
            .Build();
        _partitions = [.. topics.SelectMany(t => Enumerable.Range(0, partitions).Select(p => new TopicPartition(t, p)))];
        _ends = _partitions.ToDictionary(p => p, p => _reader.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
    }

    /// <summary>Messages in the input partitions now.</summary>
    public long Messages => _ends.Values.Sum();

    public bool AllCommitted() => _reader.Committed(_partitions, TimeSpan.FromSeconds(10))
        .All(c => _ends[c.TopicPartition] == 0 || c.Offset.Value >= _ends[c.TopicPartition]);

    public async Task WaitUntilAllCommittedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!AllCommitted())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the group did not commit the end of every input partition within {timeout.TotalSeconds:N0} s");
            }

            await Task.Delay(10);
        }
    }

    public void Dispose() => _reader.Dispose();
}
