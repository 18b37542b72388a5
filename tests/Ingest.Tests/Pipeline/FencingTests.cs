using System.Text.Json.Nodes;
using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Storage;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using StackExchange.Redis;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>ETag fencing as the pipeline sees it: a write over another writer's state fails, the batch is re-read and applied on top.</summary>
public sealed class FencingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Pipeline_AnotherWriterChangedTheProduct_BatchIsFencedReReadAndAppliedOnTop()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var client = cluster.Client!;
        client.ProduceAll([new InventoryEvent("f-1", InventoryEventType.Receipt, "p-f", 10, ScenarioGenerator.Epoch)]);
        await cluster.WaitForAllCommittedAsync(Patience);

        // A second writer (like a silo that took the partition over) applies a receipt of 5 to the stored state and
        // moves its ETag on, in one step as a storage write does, while this silo's grain still holds ETag and state.
        var key = SegmentedRedisGrainStorage.KeyOf(cluster.Orleans.Options.ServiceId, ProductGrain.IdOf("p-f"), ProductGrain.StateName);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString))
        {
            var db = redis.GetDatabase();
            var head = JsonNode.Parse((string)(await db.HashGetAsync(key, "data"))!)!;
            Assert.Equal(10, (long)head["onHand"]!["default"]!);
            head["onHand"]!["default"] = 15;
            head["version"] = 2;
            head["lastEventId"] = "f-other";
            var write = db.CreateTransaction();
            _ = write.HashSetAsync(key, "data", head.ToJsonString());
            _ = write.HashSetAsync(key, "etag", "another-writer");
            Assert.True(await write.ExecuteAsync());
        }

        client.ProduceAll([new InventoryEvent("f-2", InventoryEventType.Sale, "p-f", 3, ScenarioGenerator.Epoch.AddSeconds(2))]);
        await cluster.WaitForAllCommittedAsync(Patience);

        // The fenced attempt persisted and published nothing; the re-read batch decided the sale once, on top of the
        // other writer's state (without the fence it would have written 7 at version 2 over it).
        var outcome = Assert.Single(client.Outcomes(), o => o.EventId == "f-2");
        Assert.Equal(("Applied", 3L), (outcome.Status, outcome.Version));
        var last = client.NetStock("p-f").MaxBy(r => r.Version)!;
        Assert.Equal((3L, 12L, "f-2"), (last.Version, last.OnHand, last.LastEventId));
        var stored = await cluster.Stored.StockAsync("p-f");
        Assert.Equal((3L, 12L), (stored!.Version, stored.OnHand));
    }
}
