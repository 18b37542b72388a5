namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>Starts an in-memory (or on-disk) DevBroker on a free port for one test.</summary>
internal static class TestBroker
{
    public static Task<DevBrokerServer> StartAsync(string? dataDir = null, Action<DevBrokerOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new DevBrokerOptions { Port = 0, DataDir = dataDir };
        configure?.Invoke(options);
        return DevBrokerServer.StartAsync(options, timeProvider: time);
    }

    /// <summary>A broker with its schema registry on a free port (<see cref="DevBrokerServer.SchemaRegistryUrl"/>).</summary>
    public static Task<DevBrokerServer> StartWithRegistryAsync(string? dataDir = null, Action<DevBrokerOptions>? configure = null) =>
        StartAsync(dataDir, o =>
        {
            o.SchemaRegistryPort = 0;
            configure?.Invoke(o);
        });
}
