using InventoryOrleans.Ingest.Logging;
using InventoryOrleans.Ingest.Options;
using InventoryOrleans.Ingest.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Placement;

/// <summary>
/// Reports this silo's partitions to the <see cref="IPartitionMapGrain"/> whenever they change and every second
/// (which refills a map grain that was re-activated), and keeps the answer in <see cref="ClusterPartitionMap"/>.
/// </summary>
public sealed partial class PartitionMapReporter(
    IGrainFactory grains,
    PartitionOwnership ownership,
    ClusterPartitionMap map,
    ILocalSiloDetails localSilo,
    IOptions<KafkaOptions> options,
    TimeProvider time,
    ILogger<PartitionMapReporter> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mapGrain = grains.GetGrain<IPartitionMapGrain>(options.Value.GroupId);
        var failures = new FailureRun();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var owned = ownership.Owned.Order().ToArray();
                map.Update(await mapGrain.ReportAsync(localSilo.SiloAddress, owned));
                if (failures.Succeeded())
                {
                    Log.Recovered(logger);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Placement falls back to the calling silo meanwhile; correctness does not depend on the map.
                if (failures.Failed())
                {
                    Log.Failed(logger, e);
                }
            }

            try
            {
                await ownership.WaitForChangeAsync(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting this silo's partitions to the cluster's partition map failed; placement prefers the calling silo meanwhile")]
        public static partial void Failed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Reporting partitions to the cluster's partition map works again")]
        public static partial void Recovered(ILogger logger);
    }
}
