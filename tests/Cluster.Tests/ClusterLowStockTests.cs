using System.Diagnostics;
using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using Xunit.Abstractions;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Cluster.Tests;

/// <summary>
/// Low-stock alerts across silo failures: one alert per crossing on <c>inventory.alerts</c> (a repeat identical, none
/// lost) while a silo dies mid-stream, and a product's own threshold surviving the loss of the only silo.
/// </summary>
public sealed class ClusterLowStockTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Cluster_SiloKilledMidStreamWhileProductsCrossTheirOwnThresholds_EveryAlertOnceAsTheModelSays()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 2);
        var events = CrossingScenarioGenerator.Generate(products: 300, events: 20_000, duplicateShare: 0.05, seed: 41);
        var victim = cluster.Silos[0];
        var survivor = cluster.Silos[1];
        var victimProducts = events.Select(e => e.ProductId).Distinct().Where(p => Ownership(victim).Owns(p)).ToHashSet();
        Assert.NotEmpty(victimProducts);

        var feeding = Task.Run(() => cluster.Client!.ProduceInChunks(events, 1_000));
        await Eventually.TrueAsync(() => cluster.Client!.LogEnd(Topics.Outcomes) >= events.Count / 3, Patience, "a third of the events are decided");
        var alertsBefore = cluster.Client!.Count(Topics.Alerts);
        output.WriteLine($"{clock.Elapsed}: killing {victim.Name} after {alertsBefore} alerts");
        await cluster.KillSiloAsync(victim);

        await feeding;
        await cluster.WaitForStableAssignmentAsync();
        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(survivor);

        var summary = await cluster.VerifyAsync();
        output.WriteLine($"{clock.Elapsed}: verified {summary}; {cluster.Client!.Count(Topics.Alerts)} alert records");
        Assert.Equal(events.Count, summary.ValidMessages);
        Assert.True(alertsBefore > 1_000, $"only {alertsBefore} alerts before the kill: the victim died before products crossed");
        Assert.True(summary.Alerts >= 10_000, $"only {summary.Alerts} alerts: the scenario hardly crosses");

        // The victim's products kept crossing on the survivor: their alerts after the kill are there too.
        var victimAlerts = cluster.Client!.ReadAll(Topics.Alerts)
            .Select(r => JsonDocument.Parse(r.Message.Value).RootElement)
            .Count(a => victimProducts.Contains(a.GetProperty("productId").GetString()!));
        Assert.True(victimAlerts > 2_000, $"only {victimAlerts} alerts of the victim's products");
    }

    [Fact]
    public async Task LowStockThreshold_OwnThresholdSetThenTheOnlySiloKilledAndReplaced_LaterChangesJudgedByIt()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var client = cluster.Client!;
        const string ProductId = "own-threshold";
        var at = DateTimeOffset.UtcNow;
        Produce(client, new InventoryEvent("t-receipt", InventoryEventType.Receipt, ProductId, 20, at));
        await cluster.WaitForAllCommittedAsync(Patience);
        Produce(client, new InventoryEvent("t-threshold", InventoryEventType.LowStockThreshold, ProductId, 3, at, Source: "API"));
        await cluster.WaitForAllCommittedAsync(Patience);
        Assert.Equal((2L, 3L, false), StockAt(client, ProductId, 2));

        // Killed: nothing is handed over. What the next silo knows of the threshold is in Redis (and its event on Kafka).
        await cluster.KillSiloAsync(cluster.Silos[0]);
        Assert.Equal(3, (await cluster.Stored.ReadAsync(ProductId))!.LowStockThreshold);
        await cluster.StartSiloAsync();
        await cluster.WaitForStableAssignmentAsync();

        // Available 5 would be low by the default (10), not by the product's 3; available 2 is. One at a time, so
        // each change has a net-stock record of its own.
        Produce(client, new InventoryEvent("t-sale-1", InventoryEventType.Adjustment, ProductId, -15, at.AddSeconds(1)));
        await cluster.WaitForAllCommittedAsync(Patience);
        Produce(client, new InventoryEvent("t-sale-2", InventoryEventType.Adjustment, ProductId, -3, at.AddSeconds(2)));
        await cluster.WaitForAllCommittedAsync(Patience);

        Assert.Equal((3L, 3L, false), StockAt(client, ProductId, 3));
        Assert.Equal((4L, 3L, true), StockAt(client, ProductId, 4));
        var alert = Assert.Single(client.ReadAll(Topics.Alerts).Select(r => JsonDocument.Parse(r.Message.Value).RootElement), a => a.GetProperty("productId").GetString() == ProductId);
        Assert.Equal(("Low", 2L, 3L, 4L), (alert.GetProperty("state").GetString(), alert.GetProperty("available").GetInt64(), alert.GetProperty("threshold").GetInt64(), alert.GetProperty("version").GetInt64()));
        var stored = (await cluster.Stored.StockAsync(ProductId))!;
        Assert.Equal((4L, 3L, true), (stored.Version, stored.LowStockThreshold, stored.LowStock));

        await cluster.StopSiloAsync(cluster.Silos[0]);
        var summary = await cluster.VerifyAsync();
        Assert.Equal(1, summary.Alerts);
    }

    private static void Produce(KafkaTestClient client, InventoryEvent e)
    {
        client.Produce(KafkaTestClient.TopicOf(e), e);
        client.Flush();
    }

    // The net-stock record of the product at that version: (version, lowStockThreshold, lowStock).
    private static (long Version, long Threshold, bool Low) StockAt(KafkaTestClient client, string productId, long version)
    {
        var record = client.ReadAll(Topics.NetStock)
            .Select(r => JsonDocument.Parse(r.Message.Value).RootElement)
            .Last(r => r.GetProperty("productId").GetString() == productId && r.GetProperty("version").GetInt64() == version);
        return (record.GetProperty("version").GetInt64(), record.GetProperty("lowStockThreshold").GetInt64(), record.GetProperty("lowStock").GetBoolean());
    }
}
