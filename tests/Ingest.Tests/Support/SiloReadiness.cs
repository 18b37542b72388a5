using System.Text.Json;
using InventoryOrleans.Api.Health;
using InventoryOrleans.TestSupport.Cluster;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InventoryOrleans.Ingest.Tests.Support;

/// <summary>
/// The silo's <c>/readyz</c> on a test cluster's first silo: its ready-tagged health checks (registered by the ingest,
/// as in the executable) run by its health check service, written by the hosts' own response writer and read back as
/// a client reads the body.
/// </summary>
internal sealed class SiloReadiness(HealthCheckService health)
{
    public static SiloReadiness Probe(InventoryTestCluster cluster) =>
        new(InventoryTestCluster.Service<HealthCheckService>(cluster.Silos[0]));

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(HealthTags.Ready), cancellationToken);
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await HealthResponses.WriteReadinessAsync(context, report);
        return JsonSerializer.Deserialize<ReadinessReport>(body.ToArray(), JsonSerializerOptions.Web)!;
    }
}

/// <summary>The <c>/readyz</c> body as a client reads it.</summary>
internal sealed record ReadinessReport(bool Ready, IReadOnlyDictionary<string, ReadinessCheck> Checks);

/// <summary>One check of the <c>/readyz</c> body; <c>partitions</c> and <c>products</c> only where the silo writes them.</summary>
internal sealed record ReadinessCheck(bool Ok, string Detail, IReadOnlyList<int>? Partitions = null, IReadOnlyList<string>? Products = null);
