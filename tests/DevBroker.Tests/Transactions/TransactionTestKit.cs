using InventoryOrleans.DevBroker.Cluster;
using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Records;
using InventoryOrleans.DevBroker.Storage;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.DevBroker.Transactions;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.DevBroker.Tests.Transactions;

/// <summary>A transaction coordinator on a manual clock over an in-process cluster (topic "t", 2 partitions) and group
/// coordinator, in memory or on a data directory — and short ways to drive it the way a producer client would.</summary>
internal sealed class TransactionTestKit : IDisposable
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(100);

    public TransactionTestKit(string? dataDir = null)
    {
        Cluster = ClusterState.Open(new DevBrokerOptions { DataDir = dataDir }, Clock, NullLoggerFactory.Instance);
        if (Cluster.Find("t") is null)
        {
            Cluster.CreateTopic("t", 2, new Dictionary<string, string?>(), validateOnly: false);
        }

        Groups = new GroupCoordinator(
            new GroupCoordinatorOptions { OffsetsDirectory = dataDir is null ? null : Path.Combine(dataDir, "__consumer_offsets") },
            Clock);
        Groups.Start();
        Coordinator = new TransactionCoordinator(
            new TransactionCoordinatorOptions
            {
                CheckInterval = CheckInterval,
                MaxTimeout = TimeSpan.FromMinutes(1),
                StateDirectory = dataDir is null ? null : Path.Combine(dataDir, "__transaction_state"),
            },
            Cluster,
            Groups,
            Clock);
        Coordinator.Start();
    }

    public ManualTimeProvider Clock { get; } = new();

    public ClusterState Cluster { get; }

    public GroupCoordinator Groups { get; }

    public TransactionCoordinator Coordinator { get; }

    public PartitionLog Log(int partition) => Cluster.Find("t")!.Partition(partition)!;

    /// <summary>InitProducerId for a transactional id (10 s timeout); asserts success.</summary>
    public (long ProducerId, short Epoch) Init(string transactionalId, TimeSpan? timeout = null)
    {
        var result = Coordinator.InitProducerId(transactionalId, timeout ?? TimeSpan.FromSeconds(10), -1, -1);
        Assert.Equal(ErrorCode.None, result.Error);
        return (result.ProducerId, result.ProducerEpoch);
    }

    /// <summary>Adds the partitions of "t" to the transaction; asserts success.</summary>
    public void AddPartitions(string transactionalId, (long ProducerId, short Epoch) producer, params int[] partitions) =>
        Assert.All(
            Coordinator.AddPartitions(transactionalId, producer.ProducerId, producer.Epoch, partitions.Select(p => new TransactionPartition("t", p)).ToList()),
            e => Assert.Equal(ErrorCode.None, e));

    /// <summary>Produces a transactional batch to a partition of "t" as the producer would.</summary>
    public AppendOutcome Produce(string transactionalId, (long ProducerId, short Epoch) producer, int partition, int baseSequence, string value)
    {
        var batch = TestBatches.Build([value], producerId: producer.ProducerId, epoch: producer.Epoch, baseSequence: baseSequence, transactional: true);
        Assert.Equal(ErrorCode.None, RecordBatchHeader.Validate(batch, out var header));
        return Coordinator.AppendTransactional(transactionalId, new TransactionPartition("t", partition), Log(partition), [(batch, header)], fsync: false);
    }

    /// <summary>Moves the clock in check-interval steps so the coordinator's timer runs as it would in real time.</summary>
    public void Advance(TimeSpan by)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += CheckInterval)
        {
            Clock.Advance(CheckInterval);
        }
    }

    public void Dispose()
    {
        Coordinator.Dispose();
        Groups.Dispose();
        Cluster.Dispose();
    }
}
