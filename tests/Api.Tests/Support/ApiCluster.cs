using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.Api.Tests.Support;

/// <summary>
/// What the in-process API tests share: an inventory test cluster of two silos (real ingest, DevBroker, redis-server)
/// and an open Api host (no keys) whose Orleans client is the cluster's gateway client. Tests use their own product
/// ids, so they do not see each other's stock.
/// </summary>
public sealed class ApiCluster : IAsyncLifetime
{
    private InventoryTestCluster? _cluster;
    private ApiTestHost? _api;

    public InventoryTestCluster Inventory => _cluster ?? throw new InvalidOperationException("not started");

    /// <summary>The open Api host (a separate Orleans client of the cluster).</summary>
    public ApiTestHost Api => _api ?? throw new InvalidOperationException("not started");

    public KafkaTestClient Kafka => Inventory.Client!;

    public string BootstrapServers => Inventory.Broker!.BootstrapServers;

    /// <summary>The settings an Api host of this cluster needs (its broker), plus <paramref name="more"/>.</summary>
    public Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = BootstrapServers };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Starts another Api host on this cluster's gateway client (or <paramref name="orleans"/>).</summary>
    public Task<ApiTestHost> StartHostAsync(
        IReadOnlyDictionary<string, string?> settings,
        IClusterClient? orleans = null,
        TimeProvider? time = null,
        Action<Microsoft.AspNetCore.Builder.WebApplication>? map = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null) =>
        ApiTestHost.StartAsync(orleans ?? Inventory.Grains, settings, time, map: map, services: services);

    /// <summary>The end offset of every partition of every input topic: what "nothing was produced" is checked against.</summary>
    public Dictionary<string, Dictionary<int, long>> InputEnds() => Topics.Inputs.ToDictionary(t => t, Kafka.Ends);

    public async Task InitializeAsync()
    {
        _cluster = await InventoryTestCluster.StartAsync(silos: 2);
        _api = await StartHostAsync(Settings());
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>The tests that share one <see cref="ApiCluster"/> (run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class ApiClusterCollection : ICollectionFixture<ApiCluster>
{
    public const string Name = "api-cluster";
}
