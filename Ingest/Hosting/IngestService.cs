using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Publishing;
using InventoryOrleans.Grains.Interfaces.Avro;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Ingest.Hosting;

/// <summary>
/// Hosts the ingest loop: at start the topics are created or checked and, with Avro output, the output schemas
/// registered (a failure stops the silo from starting, with the reason), then <see cref="IngestPipeline"/> runs on its own thread until the host stops.
/// </summary>
public sealed partial class IngestService(
    TopicBootstrapper bootstrapper,
    PartitionOwnership ownership,
    OutputSerializer outputs,
    RegistrySchemas registry,
    IngestPipeline pipeline,
    ILogger<IngestService> logger) : BackgroundService
{
    // How long a stop that gave up on the graceful finish waits for the killed loop to drop its consumer.
    private static readonly TimeSpan KillGiveUp = TimeSpan.FromSeconds(10);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var partitions = await bootstrapper.EnsureTopicsAsync(cancellationToken);
        ownership.SetPartitionCount(partitions);
        await outputs.RegisterAsync();
        if (!registry.Configured)
        {
            LogAvroOff(logger);
        }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "No schema registry is configured (SchemaRegistry__Url): Avro input is not read, and framed Avro messages go to the dead-letter topic as UnknownSchema. Set SchemaRegistry__Url to read them.")]
    private static partial void LogAvroOff(ILogger logger);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => pipeline.Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
