using Confluent.Kafka;
using InventoryOrleans.Api.Options;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Health;

/// <summary>
/// Answers the standalone Api host's <c>/readyz</c>: the Orleans cluster answers a call through this host's client
/// (the management grain lists its active silos), and the broker answers a metadata request. Probed for real, at most
/// every two seconds.
/// </summary>
public sealed class ApiReadinessProbe(IClusterClient cluster, IOptions<ApiKafkaOptions> kafka, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IAdminClient? _admin;
    private ApiReadinessReport? _last;
    private DateTimeOffset _lastAt;

    public async Task<ApiReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is not null && time.GetUtcNow() - _lastAt < CacheFor)
            {
                return _last;
            }

            var checks = new Dictionary<string, ApiReadinessCheck>(StringComparer.Ordinal)
            {
                ["orleans"] = await ProbeClusterAsync(cancellationToken),
                ["broker"] = ProbeBroker(),
            };
            _last = new ApiReadinessReport(checks.Values.All(c => c.Ok), checks);
            _lastAt = time.GetUtcNow();
            return _last;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ApiReadinessCheck> ProbeClusterAsync(CancellationToken cancellationToken)
    {
        try
        {
            var silos = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(ProbeTimeout, time, cancellationToken);
            return silos.Count > 0
                ? new ApiReadinessCheck(true, $"connected; {silos.Count} active silo(s)")
                : new ApiReadinessCheck(false, "connected, but no silo is active");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ApiReadinessCheck(false, $"the Orleans cluster does not answer: {e.GetType().Name}: {e.Message}");
        }
    }

    private ApiReadinessCheck ProbeBroker()
    {
        try
        {
            _admin ??= new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.Value.BootstrapServers, ClientId = "inventory-api-readyz" })
                .SetLogHandler((_, _) => { })
                .Build();
            var metadata = _admin.GetMetadata(TimeSpan.FromSeconds(1));
            return metadata.Brokers.Count > 0
                ? new ApiReadinessCheck(true, $"{metadata.Brokers.Count} broker(s) reachable")
                : new ApiReadinessCheck(false, "no broker in metadata");
        }
        catch (KafkaException e)
        {
            return new ApiReadinessCheck(false, $"broker unreachable: {e.Error.Reason}");
        }
    }

    public void Dispose()
    {
        _admin?.Dispose();
        _gate.Dispose();
    }
}
