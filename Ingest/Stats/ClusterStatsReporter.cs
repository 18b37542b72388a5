using InventoryOrleans.Grains.Interfaces.Stats;
using InventoryOrleans.Ingest.Logging;
using InventoryOrleans.Ingest.Health;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Ingest.Stats;

/// <summary>
/// Reports this silo's ingest (its <see cref="IngestMetrics"/> snapshot, owned partitions, pause and reachability) to
/// the <see cref="IClusterStatsGrain"/> every second, which also refills a stats grain that was re-activated.
/// Reachability is probed in the background: a slow probe (a broker or Redis that does not answer) delays no report.
/// </summary>
public sealed partial class ClusterStatsReporter(
    IGrainFactory grains,
    IngestMetrics metrics,
    IngestHealth health,
    PartitionOwnership ownership,
    IReachabilityProbe reachability,
    ILocalSiloDetails localSilo,
    TimeProvider time,
    ILogger<ClusterStatsReporter> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly Reachability NotProbedYet = new(false, "not probed yet");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var statsGrain = grains.GetClusterStatsGrain();
        var silo = localSilo.SiloAddress.ToString();
        (Reachability Kafka, Reachability Redis) reached = (NotProbedYet, NotProbedYet);
        Task<(Reachability, Reachability)>? probing = null;
        var failures = new FailureRun();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (probing is { IsCompleted: true })
            {
                reached = await ProbedAsync(probing);
                probing = null;
            }

            // On the thread pool: a probe may block (a metadata request to a broker that does not answer).
            probing ??= Task.Run(() => reachability.CheckAsync(stoppingToken), stoppingToken);
            try
            {
                var report = SiloStatsFactory.Create(silo, localSilo.Name, time.GetUtcNow(), metrics.Snapshot(), ownership.Owned, health.PausedBecause, reached.Kafka, reached.Redis);
                await statsGrain.ReportAsync(report);
                if (failures.Succeeded())
                {
                    Log.Recovered(logger);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The page misses this silo for a moment; nothing else depends on the stats.
                if (failures.Failed())
                {
                    Log.Failed(logger, e);
                }
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

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
