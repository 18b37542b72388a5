using InventoryOrleans.Grains.Interfaces.Stats;
using InventoryOrleans.Ingest.Health;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Reporting;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Ingest.Stats;

/// <summary>
/// Reports this silo's ingest (its <see cref="IngestMetrics"/> snapshot, owned partitions, pause and reachability) to
/// the <see cref="IClusterStatsGrain"/> every second, which also refills a stats grain that was re-activated.
/// Reachability is probed in the background: a slow probe (a broker or Redis that does not answer) delays no report.
/// While reports fail the page misses this silo; nothing else depends on the stats.
/// </summary>
public sealed partial class ClusterStatsReporter(
    IGrainFactory grains,
    IngestMetrics metrics,
    IngestHealth health,
    PartitionOwnership ownership,
    IReachabilityProbe reachability,
    ILocalSiloDetails localSilo,
    TimeProvider time,
    ILogger<ClusterStatsReporter> logger) : PeriodicReporter
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly Reachability NotProbedYet = new(false, "not probed yet");

    private (Reachability Kafka, Reachability Redis) _reached = (NotProbedYet, NotProbedYet);
    private Task<(Reachability, Reachability)>? _probing;

    protected override async Task ReportAsync(CancellationToken stoppingToken)
    {
        if (_probing is { IsCompleted: true })
        {
            _reached = await ProbedAsync(_probing);
            _probing = null;
        }

        // On the thread pool: a probe may block (a metadata request to a broker that does not answer).
        _probing ??= Task.Run(() => reachability.CheckAsync(stoppingToken), stoppingToken);
        var report = SiloStatsFactory.Create(localSilo.SiloAddress.ToString(), localSilo.Name, time.GetUtcNow(), metrics.Snapshot(), ownership.Owned, health.PausedBecause, _reached.Kafka, _reached.Redis);
        await grains.GetClusterStatsGrain().ReportAsync(report);
    }

    protected override Task WaitForNextTurnAsync(CancellationToken stoppingToken) => Task.Delay(Interval, time, stoppingToken);

    protected override void LogFailed(Exception exception) => Log.Failed(logger, exception);

    protected override void LogRecovered() => Log.Recovered(logger);

    private static async Task<(Reachability Kafka, Reachability Redis)> ProbedAsync(Task<(Reachability, Reachability)> probe)
    {
        try
        {
            return await probe;
        }
        catch (Exception e)
        {
            var failed = new Reachability(false, $"probe failed: {e.GetType().Name}: {e.Message}");
            return (failed, failed);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting this silo's ingest stats to the cluster's stats grain failed; the inventory page misses this silo meanwhile")]
        public static partial void Failed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Reporting ingest stats to the cluster's stats grain works again")]
        public static partial void Recovered(ILogger logger);
    }
}
