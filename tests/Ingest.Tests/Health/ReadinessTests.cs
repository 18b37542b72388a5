using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.Ingest.Stats;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;

namespace InventoryOrleans.Ingest.Tests.Health;

/// <summary>What <c>/readyz</c> reports on a consuming silo: its ready-tagged health checks (<see cref="Ingest.Health.IngestHealthChecks"/>) through the hosts' response writer.</summary>
public sealed class ReadinessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Check_ConsumingSilo_ReadyThenBrokerCheckFailsWhileBrokerIsDownAndReadyAgainAfter()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var probe = SiloReadiness.Probe(cluster);
        await Eventually.TrueAsync(async () => (await probe.CheckAsync(CancellationToken.None)).Ready, Patience, "the silo is ready");

        await cluster.Broker!.RestartAsync(async () =>
        {
            await Eventually.TrueAsync(
                async () => await probe.CheckAsync(CancellationToken.None) is { Ready: false } report && !report.Checks["broker"].Ok,
                Patience,
                "the broker check fails");
            var failing = await probe.CheckAsync(CancellationToken.None);
            Assert.True(failing.Checks["redis"].Ok);
            Assert.Contains("broker", failing.Checks["broker"].Detail, StringComparison.Ordinal);
        });

        await Eventually.TrueAsync(async () => (await probe.CheckAsync(CancellationToken.None)).Ready, Patience, "the silo is ready again");
    }

    [Fact]
    public async Task Check_RedisDown_RedisCheckFailsThenReadyAgainAfterItIsBack()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var probe = SiloReadiness.Probe(cluster);
        await Eventually.TrueAsync(async () => (await probe.CheckAsync(CancellationToken.None)).Ready, Patience, "the silo is ready");

        await cluster.Redis.StopAsync();
        await Eventually.TrueAsync(
            async () => await probe.CheckAsync(CancellationToken.None) is { Ready: false } report && !report.Checks["redis"].Ok,
            Patience,
            "the redis check fails");
        var failing = await probe.CheckAsync(CancellationToken.None);
        Assert.True(failing.Checks["broker"].Ok);
        Assert.Contains("Redis unreachable", failing.Checks["redis"].Detail, StringComparison.Ordinal);

        // The cluster's ingest stats take their reachability from the same checks.
        var (kafka, redisReached) = await InventoryTestCluster.Service<IReachabilityProbe>(cluster.Silos[0]).CheckAsync(CancellationToken.None);
        Assert.True(kafka.Ok, kafka.Detail);
        Assert.False(redisReached.Ok);
        Assert.Contains("Redis unreachable", redisReached.Detail, StringComparison.Ordinal);

        await cluster.Redis.StartAsync();
        await Eventually.TrueAsync(async () => (await probe.CheckAsync(CancellationToken.None)).Ready, Patience, "the silo is ready again");
    }
}
