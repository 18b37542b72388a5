using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Pipeline;
using Microsoft.Extensions.Hosting;

namespace InventoryOrleans.Ingest.Hosting;

/// <summary>
/// Hosts the ingest loop: at start the topics are created or checked (a failure stops the silo from starting, with
/// the reason), then <see cref="IngestPipeline"/> runs on its own thread until the host stops.
/// </summary>
public sealed class IngestService(TopicBootstrapper bootstrapper, PartitionOwnership ownership, IngestPipeline pipeline) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var partitions = await bootstrapper.EnsureTopicsAsync(cancellationToken);
        ownership.SetPartitionCount(partitions);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => pipeline.Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
