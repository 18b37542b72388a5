using InventoryOrleans.Ingest.Rollback;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InventoryOrleans.Ingest.Health;

/// <summary>
/// Not ready while a product of this silo's partitions rolled back (<see cref="RollbackDetector"/>): it serves and decides
/// from state that lost acknowledged writes, and that takes an operator (docs/operations.md, runbook: State rolled back).
/// Its <c>products</c> lists each as <c>productId topic/partition@offset</c> (its last committed message whose decision
/// storage lost). Ready again once each one's stored state holds its lost decisions.
/// </summary>
public sealed class RolledBackStateHealthCheck(RollbackDetector rollback) : IHealthCheck
{
    /// <summary>The check's name in <c>/readyz</c>.</summary>
    public const string Name = "state";

    // The detail names this many products at most; the products list names every one.
    private const int ProductsInDetail = 10;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(rollback.Status));

    private static HealthCheckResult Check(RollbackStatus status)
    {
        var checking = status.Checking.Count == 0 ? "" : $"; checking {string.Join(", ", status.Checking)}";
        if (status.RolledBack.Count == 0)
        {
            return HealthCheckResult.Healthy($"no product of this silo's partitions found rolled back{checking}");
        }

        var partitions = status.RolledBack.Select(r => $"{r.Topic}/{r.Partition}").Distinct(StringComparer.Ordinal);
        var named = string.Join(", ", status.RolledBack.Take(ProductsInDetail).Select(r => r.ProductId));
        var more = status.RolledBack.Count > ProductsInDetail ? $" and {status.RolledBack.Count - ProductsInDetail} more" : "";
        return HealthCheckResult.Unhealthy(
            $"{status.RolledBack.Count} products rolled back (storage lost decisions the group committed) in {string.Join(", ", partitions)}: {named}{more} — rebuild them (runbook: State rolled back){checking}",
            data: new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["products"] = status.RolledBack.Select(r => $"{r.ProductId} {r.Topic}/{r.Partition}@{r.Offset}").ToArray(),
            });
    }
}
