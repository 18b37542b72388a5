using Confluent.Kafka;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.DevBroker.Tests.Transactions;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.DevBroker.Tests.Compaction;

/// <summary>
/// A compacted topic written in Kafka transactions through Confluent.Kafka (as the ingest writes
/// <c>inventory.net-stock</c>): the cleaner keeps each key's newest committed record, never an aborted one — even when
/// the aborted record is the key's latest — so a reader from the beginning, of either isolation level, gets each key's
/// newest committed value at its offset.
/// </summary>
public sealed class CompactionOfTransactionsTests
{
    private const string Topic = "net-stock";
    private readonly ShiftableClock _clock = new();

    [Fact]
    public async Task Compact_KeysWrittenInCommittedAndAbortedTransactions_KeepsEachKeysNewestCommittedValue()
    {
        await using var broker = await TestBroker.StartAsync(configure: o => o.LogCleanerInterval = TimeSpan.FromHours(1), time: _clock);
        await CompactedTopicClient.CreateAsync(broker.BootstrapServers, Topic);
        using var producer = TransactionClients.Producer(broker.BootstrapServers, "compaction-writer");

        await CommittedAsync(producer, ("a", "a-1"), ("b", "b-1"));
        await AbortedAsync(producer, ("a", "a-aborted"), ("c", "c-aborted"));
        await CommittedAsync(producer, ("b", "b-2"));
        await AbortedAsync(producer, ("b", "b-aborted"));

        // Enough committed records after them that the segments holding the keys above are sealed.
        for (var i = 0; i < 10; i++)
        {
            await CommittedAsync(producer, [.. Enumerable.Range(0, 10).Select(n => ($"filler-{i}-{n}", new string('x', 100)))]);
        }

        var before = TransactionClients.ReadAll(broker.BootstrapServers, Topic, 1, IsolationLevel.ReadUncommitted);
        var cleaned = broker.Cluster.Compact();
        var committed = CompactedTopicClient.Read(broker.BootstrapServers, Topic);
        var uncommitted = TransactionClients.ReadAll(broker.BootstrapServers, Topic, 1, IsolationLevel.ReadUncommitted);

        Assert.Contains("a-aborted", before);
        Assert.True(cleaned.SegmentsRewritten > 0, $"{cleaned}");
        Assert.Equal([("a", "a-1"), ("b", "b-2")], committed.Where(r => !r.Key.StartsWith("filler", StringComparison.Ordinal)).Select(r => (r.Key, r.Value)));
        Assert.Equal(100, committed.Count(r => r.Key.StartsWith("filler", StringComparison.Ordinal)));
        Assert.DoesNotContain(uncommitted, v => v.EndsWith("-aborted", StringComparison.Ordinal));
        Assert.Contains("a-1", uncommitted);
    }

    private static async Task CommittedAsync(IProducer<string, string> producer, params (string Key, string Value)[] records)
    {
        producer.BeginTransaction();
        await ProduceAsync(producer, records);
        producer.CommitTransaction(TransactionClients.Deadline);
    }

    private static async Task AbortedAsync(IProducer<string, string> producer, params (string Key, string Value)[] records)
    {
        producer.BeginTransaction();
        await ProduceAsync(producer, records);
        producer.AbortTransaction(TransactionClients.Deadline);
    }

    private static async Task ProduceAsync(IProducer<string, string> producer, (string Key, string Value)[] records)
    {
        foreach (var (key, value) in records)
        {
            await producer.ProduceAsync(new TopicPartition(Topic, 0), new Message<string, string> { Key = key, Value = value });
        }
    }
}
