using System.Globalization;
using InventoryOrleans.Bench.Hosting;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// N silos in this process, each composed exactly like the executable (<see cref="SiloHostingExtensions.AddSilo"/>:
/// Orleans with membership, reminders, pub-sub and product state on the given Redis, plus the ingest pipeline) on its
/// own free ports, minus the HTTP endpoints; they form one Orleans cluster and one consumer group.
/// </summary>
internal sealed class BenchSilos : IAsyncDisposable
{
    private readonly IHost[] _hosts;

    private BenchSilos(IHost[] hosts) => _hosts = hosts;

    public int Count => _hosts.Length;

    public IEnumerable<IngestMetrics> Metrics => _hosts.Select(h => h.Services.GetRequiredService<IngestMetrics>());

    public IReadOnlyList<IngestMetricsSnapshot> Snapshot() => [.. Metrics.Select(m => m.Snapshot())];

    /// <summary>Each silo's partitions, e.g. <c>silo-0 [0-5], silo-1 [6-11]</c>.</summary>
    public string Assignment() => string.Join(", ", _hosts.Select((h, i) =>
        string.Create(CultureInfo.InvariantCulture, $"silo-{i} [{string.Join(',', h.Services.GetRequiredService<PartitionOwnership>().Owned.Order())}]")));

    public bool EveryPartitionOwnedOnce(int partitions)
    {
        var owned = _hosts.SelectMany(h => h.Services.GetRequiredService<PartitionOwnership>().Owned).ToList();
        return owned.Count == partitions && owned.Distinct().Count() == partitions;
    }

    /// <summary>Builds and starts the silos together, so their consumers join the group's first generation.</summary>
    public static async Task<BenchSilos> StartAsync(int count, string bootstrap, string redis, IReadOnlyDictionary<string, string?> settings)
    {
        var hosts = Enumerable.Range(0, count).Select(i => Build(i, bootstrap, redis, settings)).ToArray();
        await Task.WhenAll(hosts.Select(h => h.StartAsync()));
        return new BenchSilos(hosts);
    }

    private static IHost Build(int index, string bootstrap, string redis, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);

        // The benchmark prints the GC mode itself; the watchdog's first check after start reports a bogus stall.
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error).AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        var configuration = new Dictionary<string, string?>(settings)
        {
            ["Kafka:BootstrapServers"] = bootstrap,
            ["Kafka:ClientId"] = $"bench-silo-{index}",
            ["Redis:ConnectionString"] = redis,
            ["Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        };
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddSilo();
        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_hosts.Select(h => h.StopAsync()));
        foreach (var host in _hosts)
        {
            host.Dispose();
        }
    }
}
