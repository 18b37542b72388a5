using System.Globalization;
using InventoryOrleans.Bench.Hosting;
using InventoryOrleans.Grains.Placement;
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

    public IEnumerable<IngestMetrics> Metrics => _hosts.Select(h => h.Services.GetRequiredService<IngestMetrics>());

    public IReadOnlyList<IngestMetricsSnapshot> Snapshot() => [.. Metrics.Select(m => m.Snapshot())];

    /// <summary>Each silo's partitions, e.g. <c>silo-0 [0-5], silo-1 [6-11]</c>.</summary>
    public string Assignment() => string.Join(", ", _hosts.Select((h, i) =>
        string.Create(CultureInfo.InvariantCulture, $"silo-{i} [{string.Join(',', h.Services.GetRequiredService<PartitionOwnership>().Owned.Order())}]")));

    /// <summary>Product grains active per silo, and how many of them belong to partitions that silo does not consume.</summary>
    public string Activations() => string.Join(", ", _hosts.Select((h, i) =>
    {
        var ownership = h.Services.GetRequiredService<PartitionOwnership>();
        var active = h.Services.GetRequiredService<LocalProductActivations>().ProductIds.ToList();
        var elsewhere = active.Count(p => !ownership.Owns(p));
        return string.Create(CultureInfo.InvariantCulture, $"silo-{i} {active.Count:N0} ({elsewhere:N0} of another silo's partitions)");
    }));

    /// <summary>Product grains active on every silo together.</summary>
    public int ActiveProducts() => _hosts.Sum(h => h.Services.GetRequiredService<LocalProductActivations>().ProductIds.Count());

    public static BenchSilos Build(int count, string bootstrap, string redis, IReadOnlyDictionary<string, string?> settings) =>
        new([.. Enumerable.Range(0, count).Select(i => BuildHost(i, bootstrap, redis, settings))]);

    /// <summary>
    /// Starts the silos: together when <paramref name="stagger"/> is zero (their consumers join the group's first
    /// generation), else one after another, <paramref name="stagger"/> apart (each newcomer rebalances the group while
    /// the others consume: scale-out under load).
    /// </summary>
    public async Task StartAsync(TimeSpan stagger)
    {
        if (stagger == TimeSpan.Zero)
        {
            await Task.WhenAll(_hosts.Select(h => h.StartAsync()));
            return;
        }

        for (var i = 0; i < _hosts.Length; i++)
        {
            if (i > 0)
            {
                await Task.Delay(stagger);
            }

            await _hosts[i].StartAsync();
        }
    }

    private static IHost BuildHost(int index, string bootstrap, string redis, IReadOnlyDictionary<string, string?> settings)
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
