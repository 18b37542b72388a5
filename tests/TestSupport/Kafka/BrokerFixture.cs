using InventoryOrleans.DevBroker;


namespace InventoryOrleans.TestSupport.Kafka;

/// <summary>An in-process DevBroker on a free port, with its schema registry on another, and its log in a temporary folder, deleted afterwards.</summary>
public sealed class BrokerFixture : IAsyncDisposable
{
    private BrokerFixture(DevBrokerServer server, string dataDir, BrokerFaults faults)
    {
        Server = server;
        DataDir = dataDir;
        Faults = faults;
    }

    public DevBrokerServer Server { get; private set; }

    public string DataDir { get; }

    /// <summary>Requests the broker is to refuse, as a broker under failure would (it keeps them across a restart).</summary>
    public BrokerFaults Faults { get; }

    public string BootstrapServers => Server.BootstrapServers;

    public int Port => Server.Port;

    /// <summary>The broker's schema registry (what <c>SchemaRegistry:Url</c> names).</summary>
    public string SchemaRegistryUrl => Server.SchemaRegistryUrl!;

    public static async Task<BrokerFixture> StartAsync()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "ingest-tests-" + Guid.NewGuid().ToString("N"));
        var faults = new BrokerFaults();
        var server = await DevBrokerServer.StartAsync(Options(dataDir, 0, 0), faults.Wrap);
        return new BrokerFixture(server, dataDir, faults);
    }

    /// <summary>Stops the broker and starts it again on the same port from its data directory; <paramref name="configure"/>
    /// changes the options of the broker that starts again.</summary>
    public async Task RestartAsync(Func<Task>? whileDown = null, Action<DevBrokerOptions>? configure = null)
    {
        var port = Server.Port;
        var registryPort = new Uri(SchemaRegistryUrl).Port;
        await Server.StopAsync();
        await Server.DisposeAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }

        var options = Options(DataDir, port, registryPort);
        configure?.Invoke(options);
        Server = await DevBrokerServer.StartAsync(options, Faults.Wrap);
    }

    // Port 0: a free one. The registry keeps its port across a restart, as the broker does.
    private static DevBrokerOptions Options(string dataDir, int port, int registryPort) => new()
    {
        Port = port,
        SchemaRegistryPort = registryPort,
        DataDir = dataDir,
        GroupMinSessionTimeoutMs = 1_000,
    };

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
