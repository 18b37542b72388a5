using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace InventoryOrleans.Ingest.Health;

/// <summary>
/// Ready while the silo's Redis answers a PING, on a connection of its own so a probe never waits behind grain writes.
/// Here rather than in the silo: the ingest is handed that Redis (its progress, the product state it applies to) and
/// its cluster stats report the same reachability.
/// </summary>
public sealed class RedisHealthCheck(ConfigurationOptions redis) : IHealthCheck, IDisposable
{
    /// <summary>The check's name in <c>/readyz</c>.</summary>
    public const string Name = "redis";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() =>
    {
        var options = redis.Clone();
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = (int)Timeout.TotalMilliseconds;
        options.SyncTimeout = (int)Timeout.TotalMilliseconds;
        options.AsyncTimeout = (int)Timeout.TotalMilliseconds;
        options.ClientName = "inventory-readyz";
        return ConnectionMultiplexer.ConnectAsync(options);
    });

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var connection = await _connection.Value.WaitAsync(timeout.Token);
            var roundTrip = await connection.GetDatabase().PingAsync().WaitAsync(timeout.Token);
            return HealthCheckResult.Healthy($"Redis answers ({roundTrip.TotalMilliseconds:0.#} ms)");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Redis unreachable: {e.GetType().Name}: {e.Message}");
        }
    }

    public void Dispose()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            _connection.Value.Result.Dispose();
        }
    }
}
