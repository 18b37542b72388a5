using System.Threading.Channels;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Tests.Support;
using Orleans.Streams;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests;

/// <summary>
/// <see cref="IProductGrain.WatchAsync"/>: a watch writes nothing (docs/CONTRACTS.md: reading or watching a product no
/// applied event changed keeps nothing for it), yet the watcher gets every change, the first one of a product that had
/// none included, also when the grain was deactivated in between.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ProductGrainWatchTests(SiloCluster silo)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WatchAsync_ProductNeverChanged_NothingWrittenNothingStored()
    {
        const string Id = "watch-never";
        var grain = silo.Product(Id);

        var writes = await silo.CountStateWritesAsync(Id, async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(0, (await grain.WatchAsync(Lease)).Version);
            }

            await grain.GetStockAsync();
        });

        Assert.Equal(0, writes);
        Assert.Null(await silo.StoredAsync(Id));
    }

    [Fact]
    public async Task WatchAsync_ChangedProductWatchedAndRenewed_NoWriteOfItsOwnAndTheLeaseStoredWithItsNextChange()
    {
        const string Id = "watch-known";
        var grain = silo.Product(Id);
        await grain.ApplyAsync(Receipt(Id, "k1", 5));

        var writes = await silo.CountStateWritesAsync(Id, async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(1, (await grain.WatchAsync(Lease)).Version);
            }
        });
        Assert.Equal(0, writes);
        Assert.Null((await silo.StoredAsync(Id))!.WatchedUntil);

        var before = DateTimeOffset.UtcNow;
        await grain.ApplyAsync(Receipt(Id, "k2", 1));

        Assert.InRange((await silo.StoredAsync(Id))!.WatchedUntil!.Value, before, before + Lease);
    }

    [Fact]
    public async Task WatchAsync_ProductNeverChangedDeactivatedBeforeItsFirstChange_FirstChangeStillPublished()
    {
        const string Id = "watch-first-after-deactivation";
        var grain = silo.Product(Id);
        await using var watcher = await StockWatcher.SubscribeAsync(silo, Id);
        await grain.WatchAsync(Lease);

        await silo.DeactivateAsync(Id);
        Assert.Null(await silo.StoredAsync(Id));
        await grain.ApplyAsync(Receipt(Id, "f1", 7));

        var first = await watcher.NextAsync(Arrival);
        Assert.Equal((Id, 1L, 7L), (first.ProductId, first.Version, first.OnHand));
    }

    [Fact]
    public async Task WatchAsync_ChangedProductDeactivatedAndActivatedOnAnotherSilo_ItsStoredLeaseKeepsItPublishing()
    {
        await using var cluster = await SiloCluster.StartAsync(silos: 2);
        const string Id = "watch-moved";
        var (first, second) = (cluster.Silos[0], cluster.Silos[1]);
        var here = SiloCluster.ProductFrom(first, Id);
        await here.ApplyAsync(Receipt(Id, "m1", 5));
        Assert.Same(first, cluster.HostOf(Id));
        await using var watcher = await StockWatcher.SubscribeAsync(cluster, Id);
        await here.WatchAsync(Lease);
        await here.ApplyAsync(Receipt(Id, "m2", 1));
        Assert.Equal(2, (await watcher.NextAsync(Arrival)).Version);

        // The other silo knows nothing of the watch: only the lease stored with the last change tells its activation.
        await cluster.DeactivateAsync(Id);
        var there = SiloCluster.ProductFrom(second, Id);
        await there.ApplyAsync(Receipt(Id, "m3", 1));

        var moved = await watcher.NextAsync(Arrival);
        Assert.Same(second, cluster.HostOf(Id));
        Assert.Equal((3L, 7L), (moved.Version, moved.OnHand));
    }

    private static InventoryEvent Receipt(string productId, string eventId, long quantity) =>
        new(eventId, InventoryEventType.Receipt, productId, quantity, T0);

    // What the Api's watch does first: a subscription to the product's stock stream through the cluster's client.
    private sealed class StockWatcher : IAsyncDisposable
    {
        private readonly Channel<StockView> _received = Channel.CreateUnbounded<StockView>();
        private StreamSubscriptionHandle<StockView>? _handle;

        public static async Task<StockWatcher> SubscribeAsync(SiloCluster cluster, string productId)
        {
            var watcher = new StockWatcher();
            var stream = cluster.Inventory.Grains.GetStreamProvider(StockStreams.ProviderName).GetStream<StockView>(StockStreams.Of(productId));
            watcher._handle = await stream.SubscribeAsync((stock, _) =>
            {
                watcher._received.Writer.TryWrite(stock);
                return Task.CompletedTask;
            });
            return watcher;
        }

        public async Task<StockView> NextAsync(TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            return await _received.Reader.ReadAsync(deadline.Token);
        }

        public async ValueTask DisposeAsync()
        {
            if (_handle is not null)
            {
                await _handle.UnsubscribeAsync();
            }
        }
    }
}
