using System.Text;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Ingest.DeadLetter;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.TestSupport.Cluster;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>
/// docs/CONTRACTS.md "Inventory event": a quantity beyond 1,000,000,000 (an Adjustment's either way) is dead-lettered with a
/// reason that names <c>quantity</c>, and never reaches a grain — two sales of 2^63 − 1 used to wrap on-hand around.
/// </summary>
public sealed class QuantityBoundTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Pipeline_QuantitiesBeyondTheBound_DeadLetteredNamingQuantityAndOnlyTheEventAtTheBoundApplied()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var client = cluster.Client!;
        const string productId = "bounded-1";
        var beyond = new (string Topic, string Json)[]
        {
            (Topics.Sales, Event("sale-1", "Sale", "9223372036854775807")),
            (Topics.Sales, Event("sale-2", "Sale", "9223372036854775807")),
            (Topics.Events, Event("adjust", "Adjustment", "-1000000001")),
            (Topics.Snapshots, Event("count", "Snapshot", "1000000001")),
            (Topics.Events, Event("threshold", "LowStockThreshold", "1000000001")),
        };
        client.Produce(Topics.Events, Encoding.UTF8.GetBytes(productId), Encoding.UTF8.GetBytes(Event("receipt", "Receipt", "1000000000")));
        foreach (var (topic, json) in beyond)
        {
            client.Produce(topic, Encoding.UTF8.GetBytes(productId), Encoding.UTF8.GetBytes(json));
        }

        client.Flush();
        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(cluster.Silos[0]);

        var deadLetters = client.ReadAll(Topics.DeadLetter);
        Assert.Equal(beyond.Length, deadLetters.Count);
        foreach (var (topic, json) in beyond)
        {
            var dead = deadLetters.Single(d => Encoding.UTF8.GetString(d.Message.Value) == json);
            var reason = Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(DeadLetters.ReasonHeader));
            Assert.StartsWith(DlqReasons.InvalidQuantity + ":", reason, StringComparison.Ordinal);
            Assert.Contains("'quantity'", reason, StringComparison.Ordinal);
            Assert.Equal(topic, Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(DeadLetters.TopicHeader)));
        }

        var outcome = Assert.Single(client.Outcomes());
        Assert.Equal(("receipt", "Applied", 1L), (outcome.EventId, outcome.Status, outcome.Version));
        Assert.Equal(1_000_000_000, client.NetStock(productId)[^1].OnHand);
    }

    private static string Event(string eventId, string type, string quantity) =>
        $$"""{"eventId":"{{eventId}}","type":"{{type}}","productId":"bounded-1","quantity":{{quantity}},"occurredAt":"2026-01-31T12:00:00Z"}""";
}
