using InventoryOrleans.Ingest.Health;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Silo.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Ingest.Tests.Support;

/// <summary>
/// One silo in the test process: its own host and DI container (runtime, grains, storage, consumer, producer),
/// composed exactly as the silo executable does it, minus HTTP.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestSilo(string name, IHost host)
    {
        Name = name;
        _host = host;
    }

    public string Name { get; }

    public IServiceProvider Services => _host.Services;

    public IngestHealth Health => Services.GetRequiredService<IngestHealth>();

    public PartitionOwnership Ownership => Services.GetRequiredService<PartitionOwnership>();

    /// <summary>Builds and starts a silo; <paramref name="settings"/> are configuration keys such as <c>Kafka:BootstrapServers</c>.</summary>
    public static async Task<TestSilo> StartAsync(string name, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:ClientId"] = name,
            ["Kafka:SessionTimeoutMs"] = "6000",
            ["Kafka:HeartbeatIntervalMs"] = "500",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("InventoryOrleans.Ingest.Pipeline", LogLevel.Information);

        // Outage tests make every grain call fail for a while; the pipeline's own state changes tell the story.
        builder.Logging.AddFilter("InventoryOrleans.Runtime", LogLevel.Error);
        builder.Logging.AddFilter("InventoryOrleans.Grains", LogLevel.Error);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        builder.AddSilo();
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(name, host);
    }

    /// <summary>Graceful stop: the batch in flight is finished and committed and the consumer leaves the group.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _host.StopAsync();
        _host.Dispose();
    }

    /// <summary>Crash: no more persist, publish or commit, and no LeaveGroup; the group notices by session timeout.</summary>
    public async Task KillAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        Services.GetRequiredService<IngestPipeline>().Kill();
        await _host.StopAsync();
        _host.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
