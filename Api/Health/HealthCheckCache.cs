using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Health;

/// <summary>
/// Runs each registered health check at most once every <see cref="CacheFor"/>, whoever asks: the health checks
/// middleware and <c>grpc.health.v1</c> run the checks on every request, and a probe is a Kafka metadata request or a
/// Redis PING that a busy load balancer must not multiply. Concurrent askers wait for the one run in progress.
/// </summary>
internal sealed class HealthCheckCache(TimeProvider time) : IPostConfigureOptions<HealthCheckServiceOptions>
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    // The options may be built more than once from the same registrations; each is wrapped once.
    private readonly HashSet<HealthCheckRegistration> _wrapped = [];

    public void PostConfigure(string? name, HealthCheckServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_wrapped)
        {
            foreach (var registration in options.Registrations.Where(_wrapped.Add))
            {
                var factory = registration.Factory;
                var last = new LastResult(time);
                registration.Factory = services => new CachedCheck(last, () => factory(services));
            }
        }
    }

    private sealed class CachedCheck(LastResult last, Func<IHealthCheck> check) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            last.GetAsync(() => check().CheckHealthAsync(context, cancellationToken), cancellationToken);
    }

    private sealed class LastResult(TimeProvider time)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private HealthCheckResult? _result;
        private DateTimeOffset _at;

        public async Task<HealthCheckResult> GetAsync(Func<Task<HealthCheckResult>> run, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_result is not { } result || time.GetUtcNow() - _at >= CacheFor)
                {
                    result = await run();
                    _result = result;
                    _at = time.GetUtcNow();
                }

                return result;
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
