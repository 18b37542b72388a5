using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using static InventoryOrleans.TestSupport.Cluster.InventoryTestCluster;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>
/// Product activations leaving memory while the ingest runs (ProductGrain:IdleCollectionAge and
/// ShedActivationsAbovePercent): a product collected between two of its events comes back with its stock, its
/// watermarks and its de-duplication window, so re-posted eventIds are still Duplicate and redeliveries repeat their
/// answers; the verifier checks every outcome, stock and alert against the reference model.
/// </summary>
public sealed class ActivationCollectionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Pipeline_EveryIdleProductCollectedBetweenChunks_EveryDecisionStockAndAlertMatchModel()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1);
        var silo = cluster.Silos[0];
        var management = cluster.Grains.GetGrain<IManagementGrain>(0);

        // Re-posted eventIds (a tenth) and few products, so every chunk meets products collected after the one before.
        var events = ScenarioGenerator.Generate(products: 30, events: 2_400, duplicateShare: 0.1, seed: 41, productPrefix: "collected");
        var collected = 0;
        foreach (var chunk in events.Chunk(200))
        {
            foreach (var e in chunk)
            {
                cluster.Client!.Produce(KafkaTestClient.TopicOf(e), e);
            }

            cluster.Client!.Flush();
            await cluster.WaitForAllCommittedAsync(Patience);
            var before = Activations(silo).Count;

            // Every activation, all idle once the chunk committed, as the idle collection does with those idle long enough.
            await management.ForceActivationCollection(TimeSpan.Zero);
            collected += Math.Max(0, before - Activations(silo).Count);
        }

        await cluster.WaitForAllCommittedAsync(Patience);
        await cluster.StopSiloAsync(silo);

        // 12 chunks, each touching most of the 30 products.
        Assert.True(collected >= 200, $"only {collected} product activations were collected while the ingest ran");
        var summary = await cluster.VerifyAsync();
        Assert.Equal(events.Count, summary.Outcomes);
        Assert.Equal(events.Select(e => e.EventId).Distinct().Count(), summary.Decisions);
    }

    [Fact]
    public async Task Pipeline_MemoryPressureShedsActivationsWhileIngesting_NoDecisionLost()
    {
        // Above 1 % of the machine's memory (with the ballast below on any machine of this kind) Orleans sheds
        // activations at every poll after a full collection, aiming at none.
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, new Dictionary<string, string?>
        {
            ["ProductGrain:ShedActivationsAbovePercent"] = "1",
        });
        var ballast = new byte[(int)Math.Min(int.MaxValue, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 50)];
        var silo = cluster.Silos[0];
        var events = ScenarioGenerator.Generate(products: 40, events: 3_000, duplicateShare: 0.1, seed: 43, productPrefix: "shed");

        using var watching = new CancellationTokenSource();
        var sheds = 0;
        var sampling = Task.Run(async () =>
        {
            var last = 0;
            for (var i = 1; !watching.IsCancellationRequested; i++)
            {
                var now = Activations(silo).Count;
                if (now < last)
                {
                    sheds++;
                }

                last = now;

                // Orleans sheds only after a full collection since its last shedding, as real pressure brings them;
                // this process has memory to spare, so the test brings them.
                if (i % 50 == 0)
                {
                    GC.Collect(2, GCCollectionMode.Forced, blocking: false);
                }

                await Task.Delay(20);
            }
        });

        // About 15 s of input, so the shedding (polled every few seconds) strikes while batches are in flight.
        foreach (var chunk in events.Chunk(100))
        {
            foreach (var e in chunk)
            {
                cluster.Client!.Produce(KafkaTestClient.TopicOf(e), e);
            }

            cluster.Client!.Flush();
            await Task.Delay(500);
        }

        await cluster.WaitForAllCommittedAsync(Patience);
        await watching.CancelAsync();
        await sampling;
        GC.KeepAlive(ballast);
        await cluster.StopSiloAsync(silo);

        Assert.True(sheds >= 2, $"activations were shed {sheds} times while the ingest ran");
        var summary = await cluster.VerifyAsync();
        Assert.Equal(events.Count, summary.Outcomes);
        Assert.Equal(events.Select(e => e.EventId).Distinct().Count(), summary.Decisions);
    }
}
