using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InventoryOrleans.Api.Health;

/// <summary>The <c>/readyz</c> body of every host: ready only when every check is, and each check by name.</summary>
public sealed record ReadinessReport(bool Ready, IReadOnlyDictionary<string, ReadinessCheck> Checks)
{
    /// <summary>The body of a health report; a check is ok only when healthy (degraded counts as not ready).</summary>
    public static ReadinessReport From(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var checks = new Dictionary<string, ReadinessCheck>(StringComparer.Ordinal);
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = new ReadinessCheck(entry.Status == HealthStatus.Healthy, entry.Description ?? entry.Exception?.Message ?? entry.Status.ToString())
            {
                Data = entry.Data.Count == 0 ? null : new Dictionary<string, object>(entry.Data, StringComparer.Ordinal),
            };
        }

        return new ReadinessReport(report.Status == HealthStatus.Healthy, checks);
    }
}
