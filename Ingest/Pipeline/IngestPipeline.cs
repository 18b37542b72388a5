using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Grains.Placement;
using InventoryOrleans.Grains.Publication;
using InventoryOrleans.Ingest.Decoding;
using InventoryOrleans.Ingest.Expiry;
using InventoryOrleans.Ingest.Health;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Publishing;
using InventoryOrleans.Ingest.Rollback;
using InventoryOrleans.Ingest.Transactions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// The silo's ingest, on its own thread (the consumer's poll blocks and the group's callbacks run inside it). Per batch:
/// apply each product's events to its grain and persist once → in one Kafka transaction, the dead letters, outcomes,
/// alerts and net stock, the input offsets and the publication marks, with the consumer's group metadata → commit.
/// Expiry releases of the products it owns go out in its transactions too. A crash anywhere replays at most that batch,
/// which the grains answer with their original decisions. Three parts, each owning its state: the
/// <see cref="ConsumerLoop"/> (the consumer, what it polled, positions and pause), the <see cref="BatchRunner"/> (the
/// batches on their way, transactions and outages) and the <see cref="RebalanceHandler"/> (the group's callbacks).
/// </summary>
public sealed class IngestPipeline
{
    private readonly KafkaOptions _options;
    private readonly IngestHealth _health;
    private readonly PartitionOwnership _ownership;
    private readonly ILogger<IngestPipeline> _logger;
    private readonly CancellationTokenSource _kill = new();
    private readonly ConsumerLoop _consumer;
    private readonly BatchRunner _runner;
    private readonly RebalanceHandler _rebalance;

    public IngestPipeline(
        IGrainFactory grains,
        IngestPublisher publisher,
        InputDecoder decoder,
        OutputSerializer serializer,
        IPublicationHistory publicationHistory,
        ExpiryQueue expiries,
        ILocalSiloDetails silo,
        LocalProductActivations activations,
        PartitionOwnership ownership,
        IngestMetrics metrics,
        IngestHealth health,
        RollbackDetector rollback,
        TimeProvider time,
        IOptions<KafkaOptions> options,
        ILogger<IngestPipeline> logger,
        IEnumerable<IBatchFaultInjector> faults)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(silo);
        _options = options.Value;
        _health = health;
        _ownership = ownership;
        _logger = logger;
        var kill = _kill.Token;
        IBatchCommitter committer = _options.Transactions
            ? new TransactionalCommitter(_options, TransactionalIds.For(_options, silo.SiloAddress), metrics, time, logger)
            : new IdempotentCommitter(publisher, metrics, time);
        var epochs = new PublicationEpochs(publicationHistory);
        _consumer = new ConsumerLoop(_options, metrics, time, logger, kill);
        _runner = new BatchRunner(
            _options,
            _consumer,
            new BatchProcessor(grains, activations, metrics, serializer, options),
            decoder,
            committer,
            epochs,
            new PublicationTickets(_options, _consumer, committer, epochs, logger, kill),
            new BatchExpiries(expiries, ownership, grains, metrics),
            new OutageTracker(_consumer, expiries, health, metrics, logger),
            ownership,
            metrics,
            rollback,
            [.. faults],
            time,
            logger,
            kill);
        _rebalance = new RebalanceHandler(_consumer, _runner, epochs, activations, ownership, health, metrics, rollback, logger, kill);
    }

    /// <summary>Whether <see cref="Kill"/> was called.</summary>
    public bool Killed => _kill.IsCancellationRequested;

    /// <summary>
    /// Simulates a crash (tests): the loop stops at its next step without persisting, publishing or committing more,
    /// and the consumer is destroyed without leaving the group, so the group notices only by session timeout.
    /// </summary>
    public void Kill() => _kill.Cancel();

    /// <summary>
    /// Runs until <paramref name="stopping"/> fires, then finishes the current batch (persist, publish, commit),
    /// closes the consumer (leaving the group) and returns. Blocks the calling thread.
    /// </summary>
    public void Run(CancellationToken stopping)
    {
        _runner.Stopping = stopping;
        _consumer.Open(_rebalance);
        _health.SetRunning(true);
        IngestLog.Started(_logger, _options.GroupId, _options.BootstrapServers);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                _consumer.Collect(stopping, _runner);
                _runner.FlushCollected();
                _consumer.SampleLag();
            }

            // Graceful stop: what was consumed is finished before the consumer leaves the group.
            _runner.FlushCollected();
            _runner.FinishCommitting(next: null);
            _consumer.DropCarried();
            _kill.Token.ThrowIfCancellationRequested();
            _consumer.Close();
            IngestLog.Stopped(_logger);
        }
        catch (Exception) when (Killed)
        {
            // Whatever the kill interrupted (a wait, a grain call, a publish) is abandoned, as a crash would.
            IngestLog.KilledNow(_logger);
        }
        finally
        {
            _consumer.Release(Killed);
            _runner.Dispose();
            _health.SetRunning(false);
            _health.SetAssignedPartitions(0);
            _ownership.Clear();
        }
    }
}
