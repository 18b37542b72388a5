using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Grains.Interfaces.Placement;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Reporting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Placement;

/// <summary>
/// Reports this silo's partitions to the <see cref="IPartitionMapGrain"/> whenever they change and every second
/// (which refills a map grain that was re-activated), and keeps the answer in <see cref="ClusterPartitionMap"/>. While
/// reports fail, placement falls back to the calling silo; correctness does not depend on the map.
/// </summary>
public sealed partial class PartitionMapReporter(
    IGrainFactory grains,
    PartitionOwnership ownership,
    ClusterPartitionMap map,
    ILocalSiloDetails localSilo,
    IOptions<KafkaOptions> options,
    TimeProvider time,
    ILogger<PartitionMapReporter> logger) : PeriodicReporter
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ReportAsync(CancellationToken stoppingToken)
    {
        var owned = ownership.Owned.Order().ToArray();
        map.Update(await grains.GetGrain<IPartitionMapGrain>(options.Value.GroupId).ReportAsync(localSilo.SiloAddress, owned));
    }

    protected override Task WaitForNextTurnAsync(CancellationToken stoppingToken) =>
        ownership.WaitForChangeAsync(Interval, time, stoppingToken);

    protected override void LogFailed(Exception exception) => Log.Failed(logger, exception);

    protected override void LogRecovered() => Log.Recovered(logger);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting this silo's partitions to the cluster's partition map failed; placement prefers the calling silo meanwhile")]
        public static partial void Failed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Reporting partitions to the cluster's partition map works again")]
        public static partial void Recovered(ILogger logger);
    }
}
