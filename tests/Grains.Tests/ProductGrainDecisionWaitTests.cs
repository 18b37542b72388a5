using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Tests.Support;
using InventoryOrleans.TestSupport;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests;

/// <summary>
/// <see cref="IProductGrain.WaitForDecisionAsync"/>, the API's <c>?wait=true</c>: the decision about the posted message
/// itself (found by topic, partition and offset), with the stock right after it, answered by whatever write made it
/// visible — and honestly when the product no longer keeps it.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ProductGrainDecisionWaitTests(SiloCluster silo)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WaitForDecisionAsync_EventIdDecidedBeforeRepostedInANewMessage_DuplicateWithTheStockRightAfterIt()
    {
        const string Id = "wait-reposted";
        var grain = silo.Product(Id);
        await grain.ApplyAsync(Receipt(Id, "r1", 10), At(1));
        await grain.ApplyAsync(Sale(Id, "s1", 3), At(2));
        await grain.ApplyAsync(Receipt(Id, "r2", 1), At(3));

        // The sale posted again: its new message is not decided yet, so the wait must not answer the first decision.
        var waiting = grain.WaitForDecisionAsync("s1", At(4), Patience);
        await grain.ApplyAsync(Sale(Id, "s1", 3), At(4));
        var decision = await waiting;

        Assert.NotNull(decision);
        Assert.Equal((OutcomeStatus.Duplicate, (string?)null, 3L), (decision.Status, decision.Reason, decision.Version));
        Assert.Equal((3L, 8L), (decision.Stock.Version, decision.Stock.OnHand));
        Assert.False(decision.NoLongerKept);
    }

    [Fact]
    public async Task WaitForDecisionAsync_AsksAfterItsMessageWasDecidedAndTheProductChangedAgain_EachMessagesOwnDecisionAndTheStockThen()
    {
        const string Id = "wait-late";
        var grain = silo.Product(Id);
        await grain.ApplyAsync(Receipt(Id, "r1", 10), At(1));
        await grain.ApplyAsync(Receipt(Id, "r1", 10), At(2));
        await grain.ApplyAsync(Receipt(Id, "r2", 5), At(3));

        var first = await grain.WaitForDecisionAsync("r1", At(1), Patience);
        var repeat = await grain.WaitForDecisionAsync("r1", At(2), Patience);

        Assert.Equal((OutcomeStatus.Applied, 1L, 1L, 10L), (first!.Status, first.Version, first.Stock.Version, first.Stock.OnHand));
        Assert.Equal((OutcomeStatus.Duplicate, 1L, 1L, 10L), (repeat!.Status, repeat.Version, repeat.Stock.Version, repeat.Stock.OnHand));
    }

    [Fact]
    public async Task WaitForDecisionAsync_DecisionDroppedFromTheWindow_NoLongerKeptInsteadOfAMadeUpDuplicate()
    {
        await using var cluster = await SiloCluster.StartAsync(silos: 1, new Dictionary<string, string?> { ["ProductGrain:DedupWindowSize"] = "2" });
        const string Id = "wait-evicted";
        var grain = cluster.Product(Id);
        await grain.ApplyAsync(Receipt(Id, "r1", 10), At(1));
        await grain.ApplyAsync(Receipt(Id, "r2", 1), At(2));
        await grain.ApplyAsync(Receipt(Id, "r3", 1), At(3));

        var evicted = await grain.WaitForDecisionAsync("r1", At(1), Patience);
        var kept = await grain.WaitForDecisionAsync("r2", At(2), Patience);

        Assert.NotNull(evicted);
        Assert.True(evicted.NoLongerKept);
        Assert.Equal(3, evicted.Stock.Version);
        Assert.Equal((OutcomeStatus.Applied, 2L, false), (kept!.Status, kept.Version, kept.NoLongerKept));
    }

    [Fact]
    public async Task WaitForDecisionAsync_AsksWhileAPublicationCallWrites_AnsweredByThatWriteNotTheNextBatch()
    {
        const string Id = "wait-outside-batch";
        var grain = silo.Product(Id);

        // Applied and persisted, with its publication pending: the expiry acknowledgement below has something to write.
        await grain.ApplyAsync(Receipt(Id, "r1", 4), At(1));
        var redis = silo.Redis;
        await redis.ExecuteAsync("CLIENT", "PAUSE", "30000", "WRITE");
        Task<EventDecision?> waiting;
        Task acknowledged;
        try
        {
            acknowledged = grain.SkipPublicationAsync();
            await Eventually.TrueAsync(
                async () => ((string)(await redis.ExecuteAsync("CLIENT", "LIST"))!).Split('\n').Any(c => c.Contains(" flags=b ", StringComparison.Ordinal) && c.Contains(" cmd=eval", StringComparison.Ordinal)),
                Patience,
                "the acknowledgement's write is held by Redis");

            // Interleaves with the held write: the activation has unsaved changes, so the wait must be answered by that write.
            waiting = grain.WaitForDecisionAsync("r1", At(1), Patience);
        }
        finally
        {
            await redis.ExecuteAsync("CLIENT", "UNPAUSE");
        }

        await acknowledged;
        var decision = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((OutcomeStatus.Applied, 1L, 4L), (decision!.Status, decision.Version, decision.Stock.OnHand));
    }

    private static EventPosition At(long offset) => new(Topics.Sales, 0, offset);

    private static InventoryEvent Receipt(string productId, string eventId, long quantity) =>
        new(eventId, InventoryEventType.Receipt, productId, quantity, T0);

    private static InventoryEvent Sale(string productId, string eventId, long quantity) =>
        new(eventId, InventoryEventType.Sale, productId, quantity, T0);
}
