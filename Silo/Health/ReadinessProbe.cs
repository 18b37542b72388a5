using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Health;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Options;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Rollback;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Silo.Health;

/// <summary>
/// Answers <c>/readyz</c>: broker reachable, Redis reachable, partitions assigned, not paused by an outage, no product
/// of its partitions rolled back. The broker and Redis are probed for real (a metadata request, a PING), at most every
/// two seconds. The partitions check lists the partition numbers this silo consumes; the state check the rolled-back
/// products (<see cref="RollbackDetector"/>).
/// </summary>
public sealed class ReadinessProbe(IngestHealth health, PartitionOwnership ownership, RedisProbe redis, RollbackDetector rollback, IOptions<KafkaOptions> kafka, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    // The state check's detail names this many products at most; its Products list names every one.
    private const int ProductsInDetail = 10;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IAdminClient? _admin;
    private ReadinessReport? _last;
    private DateTimeOffset _lastAt;

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is not null && time.GetUtcNow() - _lastAt < CacheFor)
            {
                return _last;
            }

            var broker = ProbeBroker();
            var store = await ProbeStorageAsync(cancellationToken);
            var checks = new Dictionary<string, ReadinessCheck>(StringComparer.Ordinal)
            {
                ["broker"] = broker,
                ["redis"] = store,
                ["partitions"] = health.AssignedPartitions > 0
                    ? new ReadinessCheck(true, $"{health.AssignedPartitions} partitions assigned", [.. ownership.Owned.Order()])
                    : new ReadinessCheck(false, health.Running ? "no partitions assigned to this silo (yet)" : "the ingest loop is not running", []),
                ["ingest"] = health.PausedBecause is { } paused
                    ? new ReadinessCheck(false, $"paused by an outage: {paused}{ExpiriesWaiting(health.ExpiriesWaiting)}")
                    : new ReadinessCheck(true, "consuming"),
                ["state"] = State(rollback.Status),
            };
            _last = new ReadinessReport(checks.Values.All(c => c.Ok), checks);
            _lastAt = time.GetUtcNow();
            return _last;
        }
        finally
        {
            _gate.Release();
        }
    }

    // Releases of expired reservations are published only in the ingest's transactions: while those fail, they wait too.
    private static string ExpiriesWaiting(int products) => products switch
    {
        0 => "",
        1 => "; the expiry release of 1 product waits to be published",
        _ => $"; the expiry releases of {products} products wait to be published",
    };

    // Not ready while a product of this silo's partitions rolled back: it serves and decides from state that lost
    // acknowledged writes, and that takes an operator (docs/operations.md, runbook: State rolled back). Clears once each one's stored
    // state holds its lost decisions again.
    private static ReadinessCheck State(RollbackStatus status)
    {
        var checking = status.Checking.Count == 0 ? "" : $"; checking {string.Join(", ", status.Checking)}";
        if (status.RolledBack.Count == 0)
        {
            return new ReadinessCheck(true, $"no product of this silo's partitions found rolled back{checking}");
        }

        var partitions = status.RolledBack.Select(r => $"{r.Topic}/{r.Partition}").Distinct(StringComparer.Ordinal);
        var named = string.Join(", ", status.RolledBack.Take(ProductsInDetail).Select(r => r.ProductId));
        var more = status.RolledBack.Count > ProductsInDetail ? $" and {status.RolledBack.Count - ProductsInDetail} more" : "";
        return new ReadinessCheck(
            false,
            $"{status.RolledBack.Count} products rolled back (storage lost decisions the group committed) in {string.Join(", ", partitions)}: {named}{more} — rebuild them (runbook: State rolled back){checking}",
            Products: [.. status.RolledBack.Select(r => $"{r.ProductId} {r.Topic}/{r.Partition}@{r.Offset}")]);
    }

    private ReadinessCheck ProbeBroker()
    {
        try
        {
            _admin ??= new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.Value.BootstrapServers, ClientId = "inventory-silo-readyz" })
                .SetLogHandler((_, _) => { })
                .Build();
            var metadata = _admin.GetMetadata(Topics.NetStock, TimeSpan.FromSeconds(1));
            return metadata.Brokers.Count > 0
                ? new ReadinessCheck(true, $"{metadata.Brokers.Count} broker(s) reachable")
                : new ReadinessCheck(false, "no broker in metadata");
        }
        catch (KafkaException e)
        {
            return new ReadinessCheck(false, $"broker unreachable: {e.Error.Reason}");
        }
    }

    private async Task<ReadinessCheck> ProbeStorageAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var roundTrip = await redis.PingAsync(timeout.Token);
            return new ReadinessCheck(true, $"Redis answers ({roundTrip.TotalMilliseconds:0.#} ms)");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ReadinessCheck(false, $"Redis unreachable: {e.GetType().Name}: {e.Message}");
        }
    }

    public void Dispose()
    {
        _admin?.Dispose();
        _gate.Dispose();
    }
}
