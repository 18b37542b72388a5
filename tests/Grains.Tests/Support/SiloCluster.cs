using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Storage;
using InventoryOrleans.Grains.Tests.Storage;
using InventoryOrleans.TestSupport.Cluster;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace InventoryOrleans.Grains.Tests.Support;

/// <summary>
/// Real silos for the grain tests: <see cref="InventoryTestCluster"/> without Kafka (the silo's own composition on
/// Orleans' in-process test cluster and a real redis-server), plus what the tests look at beside the grain calls:
/// stored state, the stored ETag, activations, the reminder table, and a second writer on the same storage.
/// As an xunit fixture (<see cref="SiloCollection"/>) it is one silo shared by the tests of the collection, each with
/// its own productIds; tests that break things (kill a silo, stop Redis) start their own with <see cref="StartAsync"/>.
/// </summary>
public sealed class SiloCluster : IAsyncLifetime, IAsyncDisposable
{
    private ConnectionMultiplexer? _redis;
    private InventoryTestCluster? _inventory;

    public InventoryTestCluster Inventory => _inventory ?? throw new InvalidOperationException("The cluster is not started.");

    public IReadOnlyList<InProcessSiloHandle> Silos => Inventory.Silos;

    public string ServiceId => Inventory.Orleans.Options.ServiceId;

    /// <summary>The Redis database the silos keep grain state and reminders in.</summary>
    public IDatabase Redis => (_redis ?? throw new InvalidOperationException("The cluster is not started.")).GetDatabase();

    public static async Task<SiloCluster> StartAsync(int silos, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var cluster = new SiloCluster();
        await cluster.StartCoreAsync(silos, settings);
        return cluster;
    }

    /// <summary>A product's grain, called through the cluster's client (a gateway client, like the Api host).</summary>
    public IProductGrain Product(string productId) => Inventory.Grains.GetGrain<IProductGrain>(productId);

    /// <summary>A product's grain called from inside <paramref name="silo"/>, so a new activation is placed there.</summary>
    public static IProductGrain ProductFrom(InProcessSiloHandle silo, string productId) =>
        InventoryTestCluster.Service<IGrainFactory>(silo).GetGrain<IProductGrain>(productId);

    public Task<ProductState?> StoredAsync(string productId) => Inventory.Stored.ReadAsync(productId);

    public async Task<string?> StoredEtagAsync(string productId) =>
        await Redis.HashGetAsync(SegmentedRedisGrainStorage.KeyOf(ServiceId, ProductGrain.IdOf(productId), ProductGrain.StateName), "etag");

    /// <summary>The silo the product's grain is active on, or null.</summary>
    public InProcessSiloHandle? HostOf(string productId) =>
        Silos.FirstOrDefault(s => InventoryTestCluster.Activations(s).IsActive(productId));

    /// <summary>Deactivates the product's grain wherever it is active and waits until it is gone.</summary>
    public async Task DeactivateAsync(string productId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var silo in Silos)
        {
            await InventoryTestCluster.Activations(silo).DeactivateAsync(p => p == productId, "test", timeout.Token);
        }

        Assert.Null(HostOf(productId));
    }

    /// <summary>The product's expiry reminder as the reminder table holds it, or null.</summary>
    public async Task<ReminderEntry?> ExpiryReminderAsync(string productId)
    {
        var table = InventoryTestCluster.Service<IReminderTable>(Silos[0]);
        return await table.ReadRow(ProductGrain.IdOf(productId), ProductGrain.ExpiryReminder);
    }

    /// <summary>
    /// Runs <paramref name="action"/> and counts the hash writes (HSET) the product's stored state got meanwhile, from
    /// Redis' keyspace notifications: a storage write sets head and ETag in one HSET, plus one per sealed segment.
    /// (An ETag is a fresh token per write, so it no longer counts writes itself.)
    /// </summary>
    public async Task<int> CountStateWritesAsync(string productId, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var connection = _redis ?? throw new InvalidOperationException("The cluster is not started.");
        await connection.GetServer(connection.GetEndPoints()[0]).ConfigSetAsync("notify-keyspace-events", "Kh");
        var key = SegmentedRedisGrainStorage.KeyOf(ServiceId, ProductGrain.IdOf(productId), ProductGrain.StateName);
        var subscriber = connection.GetSubscriber();
        var channel = RedisChannel.Literal($"__keyspace@0__:{key}");
        var events = await subscriber.SubscribeAsync(channel);
        try
        {
            await action();

            // Notifications travel on the subscription connection, in order: once a PING there is answered, every
            // notification of the action's writes has arrived.
            await subscriber.PingAsync();
            var writes = 0;
            while (events.TryRead(out var message))
            {
                writes += message.Message == "hset" ? 1 : 0;
            }

            return writes;
        }
        finally
        {
            await events.UnsubscribeAsync();
        }
    }

    /// <summary>Another storage provider instance on the silos' Redis and service id: a second writer, as a zombie activation would be.</summary>
    public Task<SegmentedRedisGrainStorage> OtherWriterAsync() => TestGrainStorage.ConnectAsync(Inventory.Redis.ConnectionString, ServiceId);

    public Task InitializeAsync() => StartCoreAsync(silos: 1, settings: null);

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_inventory is not null)
        {
            await _inventory.DisposeAsync();
        }
    }

    private async Task StartCoreAsync(int silos, IReadOnlyDictionary<string, string?>? settings)
    {
        _inventory = await InventoryTestCluster.StartAsync(silos, settings, ingest: false);
        _redis = await ConnectionMultiplexer.ConnectAsync(_inventory.Redis.ConnectionString + ",allowAdmin=true");
    }
}
