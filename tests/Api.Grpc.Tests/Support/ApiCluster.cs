using InventoryOrleans.TestSupport.Cluster;
using Orleans;

namespace InventoryOrleans.Api.Grpc.Tests.Support;

/// <summary>
/// The service under test, shared by the collection: the inventory test cluster (two silos consuming the input
/// topics, the DevBroker, a real redis-server) and an Api host that is an outside Orleans client of it.
/// </summary>
public sealed class ApiCluster : IAsyncLifetime
{
    public InventoryTestCluster Cluster { get; private set; } = null!;

    /// <summary>The default Api host: no API keys, the default outcome timeout.</summary>
    public TestApiHost Api { get; private set; } = null!;

    public Inventory.InventoryClient Client => Api.Client;

    public async Task InitializeAsync()
    {
        Cluster = await InventoryTestCluster.StartAsync(silos: 2);
        Api = await StartHostAsync();
    }

    /// <summary>Another Api host on the cluster; by default an outside client of it producing to its broker.</summary>
    public Task<TestApiHost> StartHostAsync(IReadOnlyDictionary<string, string?>? settings = null, IClusterClient? orleans = null, string? bootstrapServers = null, TimeProvider? time = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null) =>
        TestApiHost.StartAsync(orleans ?? Cluster.Grains, bootstrapServers ?? Cluster.Broker!.BootstrapServers, settings, time, services);

    public async Task DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
