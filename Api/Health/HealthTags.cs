namespace InventoryOrleans.Api.Health;

/// <summary>The tags that sort health checks: <c>/healthz</c> answers from the <see cref="Live"/> ones, <c>/readyz</c> and <c>grpc.health.v1</c> from the <see cref="Ready"/> ones.</summary>
public static class HealthTags
{
    /// <summary>
    /// Liveness: a failing one means the process should be restarted. None is registered: <c>/healthz</c> says only that
    /// the process answers, and an outage of Kafka or Redis must not make it fail.
    /// </summary>
    public const string Live = "live";

    /// <summary>Readiness: the host can serve (and, on a silo, consume); every one must pass for <c>/readyz</c> to answer 200.</summary>
    public const string Ready = "ready";
}
