using Confluent.Kafka;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.DevBroker.Transactions;
using InventoryOrleans.TestSupport;
using static InventoryOrleans.DevBroker.Tests.Transactions.TransactionClients;

namespace InventoryOrleans.DevBroker.Tests.Transactions;

/// <summary>Fencing through Confluent.Kafka: a second producer with the same transactional.id, and a transaction the
/// broker aborts for outliving its timeout, both leave the first producer with a fatal fenced error and its records
/// invisible to read_committed readers.</summary>
public sealed class TransactionFencingTests : IAsyncLifetime
{
    private const string Topic = "fenced";
    private DevBrokerServer? _server;

    private DevBrokerServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = await TestBroker.StartAsync(configure: o => o.TransactionCheckInterval = TimeSpan.FromMilliseconds(100));
        await CreateTopicAsync(Server.BootstrapServers, Topic, 1);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task InitTransactions_SecondProducerSameTransactionalId_FencesTheFirstAndAbortsItsTransaction()
    {
        using var first = Producer(Server.BootstrapServers, "shared-id");
        first.BeginTransaction();
        await ProduceAsync(first, Topic, 0, "first");

        using var second = Producer(Server.BootstrapServers, "shared-id");
        var fenced = Assert.ThrowsAny<KafkaException>(() => first.CommitTransaction(Deadline));
        second.BeginTransaction();
        await ProduceAsync(second, Topic, 0, "second");
        second.CommitTransaction(Deadline);

        Assert.True(fenced.Error.IsFatal, fenced.Error.ToString());
        Assert.Equal(ErrorCode.Local_Fenced, fenced.Error.Code);
        Assert.Equal(["second"], ReadAll(Server.BootstrapServers, Topic, 1, IsolationLevel.ReadCommitted));
        Assert.Equal(["first", "second"], ReadAll(Server.BootstrapServers, Topic, 1, IsolationLevel.ReadUncommitted));
    }

    [Fact]
    public async Task OpenTransaction_PastItsTimeout_AbortedByTheBrokerAndItsProducerFenced()
    {
        using var slow = Producer(Server.BootstrapServers, "slow", transactionTimeoutMs: 5_000);
        slow.BeginTransaction();
        await ProduceAsync(slow, Topic, 0, "too-late");
        var coordinator = Server.Services.Get<TransactionCoordinator>();

        await Eventually.TrueAsync(
            () => coordinator.Describe("slow")?.State == TransactionState.CompleteAbort,
            Deadline,
            "the broker aborted the transaction open longer than its 5 s timeout");
        var fenced = Assert.ThrowsAny<KafkaException>(() => slow.CommitTransaction(Deadline));

        Assert.Equal(ErrorCode.Local_Fenced, fenced.Error.Code);
        Assert.Empty(ReadAll(Server.BootstrapServers, Topic, 1, IsolationLevel.ReadCommitted));
        Assert.Equal(["too-late"], ReadAll(Server.BootstrapServers, Topic, 1, IsolationLevel.ReadUncommitted));
        var (_, highWatermark) = Server.Cluster.Find(Topic)!.Offsets(0);
        Assert.Equal(2, highWatermark); // the record and the ABORT marker
    }
}
