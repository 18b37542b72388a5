using Confluent.Kafka;
using Garnet;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Rollback;
using InventoryOrleans.Silo.Embedded;
using InventoryOrleans.TestSupport;
using Orleans.Configuration;
using StackExchange.Redis;

namespace InventoryOrleans.Ingest.Tests.Rollback;

/// <summary>
/// The ingest's progress record and rolled-back ranges on both stores the silo runs on: a real redis-server and Garnet
/// started as the silo embeds it (its Lua is 5.4, Redis' 5.1).
/// </summary>
public sealed class IngestProgressStoreTests : IAsyncLifetime
{
    private static readonly TopicPartition Events3 = new(Topics.Events, 3);
    private static readonly TopicPartition Sales3 = new(Topics.Sales, 3);

    private readonly TempDirectories _directories = new();
    private readonly string _serviceId = "progress-" + Guid.NewGuid().ToString("N");
    private RedisServer? _redis;
    private GarnetServer? _garnet;
    private int _garnetPort;

    public static TheoryData<string> Stores => ["redis-server", "garnet"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task AdvanceAsync_NothingRecordedThenHigherOffsets_RecordsEachAndAnswersWhatWasHeldBefore(string store)
    {
        using var progress = Connect(store);

        var first = await progress.AdvanceAsync([new(Events3, 10), new(Sales3, 4)]);
        var second = await progress.AdvanceAsync([new(Events3, 25), new(Sales3, 9)]);

        Assert.Equal([null, null], first);
        Assert.Equal([10L, 4L], second);
        Assert.Equal([25L, 9L], await progress.ReadAsync([Events3, Sales3]));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task AdvanceAsync_ZombieSiloWritesLowerOffsets_CannotMoveTheProgressBack(string store)
    {
        using var owner = Connect(store);
        using var zombie = Connect(store);
        await owner.AdvanceAsync([new(Events3, 100), new(Sales3, 50)]);

        // A silo that lost the partitions finishes an old batch: one field lower, one higher, in one call.
        var heldBefore = await zombie.AdvanceAsync([new(Events3, 40), new(Sales3, 60)]);

        Assert.Equal([100L, 50L], heldBefore);
        Assert.Equal([100L, 60L], await owner.ReadAsync([Events3, Sales3]));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ReadAsync_PartitionNeverRecorded_Null(string store)
    {
        using var progress = Connect(store);
        await progress.AdvanceAsync([new(Events3, 7)]);

        Assert.Equal([7L, null], await progress.ReadAsync([Events3, Sales3]));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task MarkRolledBackAsync_SecondRange_WidensToHoldBothAndClearTakesOnlyAWholeRange(string store)
    {
        using var progress = Connect(store);

        await progress.MarkRolledBackAsync(Events3, new OffsetRange(20, 30));
        await progress.MarkRolledBackAsync(Events3, new OffsetRange(10, 25));
        var widened = await progress.ReadRolledBackAsync([Events3, Sales3]);

        // A check of the narrower range found it whole: the wider one recorded meanwhile still needs its own.
        await progress.ClearRolledBackAsync(Events3, new OffsetRange(20, 30));
        var afterNarrowClear = await progress.ReadRolledBackAsync([Events3]);
        await progress.ClearRolledBackAsync(Events3, new OffsetRange(10, 30));

        Assert.Equal([new OffsetRange(10, 30), null], widened);
        Assert.Equal([new OffsetRange(10, 30)], afterNarrowClear);
        Assert.Equal([null], await progress.ReadRolledBackAsync([Events3]));
    }

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartNewAsync();
        _garnetPort = FreePort.Next();
        _garnet = new GarnetServer([.. EmbeddedGarnet.ServerArguments(_garnetPort, _directories.New("progress-garnet-"))]);
        _garnet.Start();
    }

    public async Task DisposeAsync()
    {
        _garnet?.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _directories.Dispose();
    }

    // Every store of one test shares its records (one deployment); each test class instance has a service id of its own.
    private IngestProgressStore Connect(string store) => new(
        ConfigurationOptions.Parse(store == "garnet" ? $"127.0.0.1:{_garnetPort}" : _redis!.ConnectionString),
        Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ServiceId = _serviceId }));
}
