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
    // How long a stop that gave up on the graceful finish waits for the killed loop to drop its consumer.
    private static readonly TimeSpan KillGiveUp = TimeSpan.FromSeconds(10);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var partitions = await bootstrapper.EnsureTopicsAsync(cancellationToken);
        ownership.SetPartitionCount(partitions);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        if (ExecuteTask is { IsCompleted: false } running)
        {
            // The host stopped waiting for the graceful finish (its shutdown timeout, or an ungraceful stop): end the
            // loop as a crash would, committing nothing more (the partitions' next owner replays the batch), and let it
            // drop its consumer before the host disposes what the loop still uses.
            pipeline.Kill();
            await running.WaitAsync(KillGiveUp).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => pipeline.Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
