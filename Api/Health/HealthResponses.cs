using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InventoryOrleans.Api.Health;

/// <summary>
/// The bodies of <c>/healthz</c> and <c>/readyz</c>, the same on the silo and the Api host (the status code is the
/// health checks middleware's). Written with the host's JSON options, as its other JSON answers are.
/// </summary>
public static class HealthResponses
{
    /// <summary><c>{"status":"alive"}</c> while the liveness checks pass, <c>{"status":"unhealthy"}</c> otherwise.</summary>
    public static Task WriteLivenessAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        return context.Response.WriteAsJsonAsync(new { status = report.Status == HealthStatus.Healthy ? "alive" : "unhealthy" }, context.RequestAborted);
    }

    /// <summary>The <see cref="ReadinessReport"/> of the readiness checks.</summary>
    public static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Response.WriteAsJsonAsync(ReadinessReport.From(report), context.RequestAborted);
    }
}
