using System.Diagnostics;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.TestSupport;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Storage;

/// <summary>The provider while its Redis server is down and after it is back (append-only file, so nothing acknowledged is lost).</summary>
public sealed class SegmentedRedisGrainStorageOutageTests : IAsyncLifetime
{
    // The connection string's sync timeout is 5 s: a call queued behind the dead connection would take that long.
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(2.5);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "grains-storage-outage-" + Guid.NewGuid().ToString("N"));
    private RedisServer? _redis;

    [Fact]
    public async Task WriteStateAsync_RedisDown_FailsFastAndTheSameWriteSucceedsAfterRestart()
    {
        using var storage = await TestGrainStorage.ConnectAsync(_redis!.ConnectionString, "outage");
        var id = ProductGrain.IdOf(ProductId);
        var state = new TestGrainState<ProductState> { State = new ProductState { Window = new SeenEventWindow(segmentSize: 2) } };
        var ledger = new ProductLedger(ProductId, state.State, 10);
        ledger.Apply(Receipt("e1", 1), new EventPosition(Topics.Sales, 0, 1), T0);
        await storage.WriteStateAsync(ProductGrain.StateName, id, state);
        var acknowledged = state.ETag;

        await _redis.StopAsync();
        ledger.Apply(Receipt("e2", 1), new EventPosition(Topics.Sales, 0, 2), T0);
        ledger.Apply(Receipt("e3", 1), new EventPosition(Topics.Sales, 0, 3), T0);
        var clock = Stopwatch.StartNew();
        var writeError = await Record.ExceptionAsync(() => storage.WriteStateAsync(ProductGrain.StateName, id, state));
        var writeFailedAfter = clock.Elapsed;
        clock.Restart();
        var readError = await Record.ExceptionAsync(() => storage.ReadStateAsync(ProductGrain.StateName, id, new TestGrainState<ProductState>()));
        var readFailedAfter = clock.Elapsed;

        Assert.NotNull(writeError);
        Assert.NotNull(readError);
        Assert.True(writeFailedAfter < Fast, $"the write failed after {writeFailedAfter}");
        Assert.True(readFailedAfter < Fast, $"the read failed after {readFailedAfter}");
        Assert.Equal(acknowledged, state.ETag);

        await _redis.StartAsync();
        var stored = await ReadWhenBackAsync(storage);

        // What storage holds is the last acknowledged write; the failed one (with its sealed segment) is retried whole.
        Assert.Equal(acknowledged, stored.ETag);
        Assert.Equal(["e1"], stored.State.Window.Select(s => s.EventId));
        await storage.WriteStateAsync(ProductGrain.StateName, id, state);
        var after = new TestGrainState<ProductState>();
        await storage.ReadStateAsync(ProductGrain.StateName, id, after);
        Assert.NotEqual(acknowledged, state.ETag);
        Assert.Equal(state.ETag, after.ETag);
        Assert.Equal(["e1", "e2", "e3"], after.State.Window.Select(s => s.EventId));
        Assert.Equal(3, after.State.Version);
    }

    public async Task InitializeAsync() => _redis = await RedisServer.StartNewAsync(_dataDirectory);

    public async Task DisposeAsync()
    {
        await _redis!.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // The connection comes back by itself (no call to the provider needed); until it has, reads fail.
    private static async Task<TestGrainState<ProductState>> ReadWhenBackAsync(Grains.Storage.SegmentedRedisGrainStorage storage)
    {
        var state = new TestGrainState<ProductState>();
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    await storage.ReadStateAsync(ProductGrain.StateName, ProductGrain.IdOf(ProductId), state);
                    return true;
                }
                catch (StackExchange.Redis.RedisConnectionException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            "the provider reads from the restarted Redis");
        return state;
    }
}
