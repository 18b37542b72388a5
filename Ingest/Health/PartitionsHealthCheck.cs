using InventoryOrleans.Ingest.Pipeline;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InventoryOrleans.Ingest.Health;

/// <summary>
/// Ready once partitions are assigned to this silo. Its <c>partitions</c> lists the input partition numbers it consumes
/// (the same number of every input topic), so an operator sees how the silos split them.
/// </summary>
public sealed class PartitionsHealthCheck(IngestHealth health, PartitionOwnership ownership) : IHealthCheck
{
    /// <summary>The check's name in <c>/readyz</c>.</summary>
    public const string Name = "partitions";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var assigned = health.AssignedPartitions;
        return Task.FromResult(assigned > 0
            ? HealthCheckResult.Healthy($"{assigned} partitions assigned", Partitions([.. ownership.Owned.Order()]))
            : HealthCheckResult.Unhealthy(health.Running ? "no partitions assigned to this silo (yet)" : "the ingest loop is not running", data: Partitions([])));
    }

    private static Dictionary<string, object> Partitions(int[] partitions) => new(StringComparer.Ordinal) { ["partitions"] = partitions };
}
