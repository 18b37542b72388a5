using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Tests.Support;
using InventoryOrleans.TestSupport;
using Orleans.Storage;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests;

/// <summary>The product grain through a real silo and real Redis storage: every call, persistence, redelivery, fencing.</summary>
[Collection(SiloCollection.Name)]
public sealed class ProductGrainTests(SiloCluster silo)
{
    [Fact]
    public async Task ApplyBatchAsync_EventsWithEveryField_OutcomesInOrderAndStockAfterTheLast()
    {
        const string Id = "grain-batch";
        var expiresAt = DateTimeOffset.UtcNow.AddDays(1);
        PositionedEvent[] batch =
        [
            new(new InventoryEvent("b1", InventoryEventType.Receipt, Id, 10, T0, "dc", null, null, "WMS", "c1"), new EventPosition(Topics.Events, 3, 100)),
            new(new InventoryEvent("b2", InventoryEventType.Reservation, Id, 4, T0, InventoryEvent.DefaultLocation, "r1", expiresAt, "API", "c2"), new EventPosition(Topics.Events, 3, 101)),
            new(new InventoryEvent("b3", InventoryEventType.Reservation, Id, 100, T0, ReservationId: "r2", CorrelationId: "c3"), new EventPosition(Topics.Events, 3, 102)),
            new(new InventoryEvent("b1", InventoryEventType.Receipt, Id, 10, T0, "dc", CorrelationId: "c4"), null),
            new(new InventoryEvent("b4", InventoryEventType.Sale, Id, 3, T0.AddMinutes(1), "store", Source: "POS"), new EventPosition(Topics.Sales, 3, 7)),
        ];
        var before = DateTimeOffset.UtcNow;

        BatchApplyResult? applied = null;
        var writes = await silo.CountStateWritesAsync(Id, async () => applied = await silo.Product(Id).ApplyBatchAsync(batch));
        var result = applied!;

        Assert.Equal(
            [
                new EventOutcome("b1", Id, OutcomeStatus.Applied, null, 1, "c1", new EventPosition(Topics.Events, 3, 100)),
                new EventOutcome("b2", Id, OutcomeStatus.Applied, null, 2, "c2", new EventPosition(Topics.Events, 3, 101)),
                new EventOutcome("b3", Id, OutcomeStatus.Rejected, RejectionReasons.InsufficientStock, 2, "c3", new EventPosition(Topics.Events, 3, 102)),
                new EventOutcome("b1", Id, OutcomeStatus.Duplicate, null, 2, "c4"),
                new EventOutcome("b4", Id, OutcomeStatus.Applied, null, 3, null, new EventPosition(Topics.Sales, 3, 7)),
            ],
            result.Outcomes);
        Assert.True(result.Changed);
        Assert.Equal(1, writes); // one write for the whole batch
        var stock = result.Stock;
        Assert.Equal((Id, 7L, 4L, 0L, 3L, 3L, "b4"), (stock.ProductId, stock.OnHand, stock.Reserved, stock.InTransit, stock.Available, stock.Version, stock.LastEventId));
        Assert.Equal(new Dictionary<string, long> { ["dc"] = 10, ["store"] = -3 }, stock.Locations);
        Assert.InRange(stock.UpdatedAt, before, DateTimeOffset.UtcNow);
        Assert.Equal(Json(stock), Json(await silo.Product(Id).GetStockAsync()));
        Assert.Equal(Json(stock), Json((await silo.StoredAsync(Id))!.ToStockView(Id)));

        // The reservation's expiry went into the reminder table with the write.
        var reminder = await silo.ExpiryReminderAsync(Id);
        Assert.NotNull(reminder);
        Assert.InRange(reminder.StartAt, expiresAt.UtcDateTime.AddSeconds(-5), expiresAt.UtcDateTime.AddSeconds(5));
    }

    [Fact]
    public async Task GetStockAsync_ProductNeverChanged_VersionZeroAndZerosAndNothingStored()
    {
        var stock = await silo.Product("grain-never").GetStockAsync();

        Assert.Equal(("grain-never", 0L, 0L, 0L, 0L, 0L, (string?)null), (stock.ProductId, stock.OnHand, stock.Reserved, stock.InTransit, stock.Available, stock.Version, stock.LastEventId));
        Assert.Empty(stock.Locations);
        Assert.Null(await silo.StoredAsync("grain-never"));
    }

    [Fact]
    public async Task ApplyBatchAsync_BatchReplayedWhileActiveAndAfterDeactivation_OriginalDecisionsAndNoWrite()
    {
        const string Id = "grain-redelivery";
        var grain = silo.Product(Id);
        PositionedEvent[] batch =
        [
            new(Event(Id, "r1", InventoryEventType.Receipt, 5), new EventPosition(Topics.Events, 1, 10)),
            new(Event(Id, "r2", InventoryEventType.Reservation, 9, reservationId: "res"), new EventPosition(Topics.Events, 1, 11)),
            new(Event(Id, "r1", InventoryEventType.Receipt, 5), new EventPosition(Topics.Sales, 1, 10)),
            new(Event(Id, "r3", InventoryEventType.Sale, 1), new EventPosition(Topics.Sales, 1, 11)),
        ];
        var first = await grain.ApplyBatchAsync(batch);
        await grain.ApplyAsync(Event(Id, "r4", InventoryEventType.Receipt, 20), new EventPosition(Topics.Events, 1, 12));
        await grain.ApplyAsync(Event(Id, "r5", InventoryEventType.Receipt, 1), null);
        var etag = await silo.StoredEtagAsync(Id);

        var replayedActive = await grain.ApplyBatchAsync(batch);
        await silo.DeactivateAsync(Id);
        var replayedReloaded = await grain.ApplyBatchAsync(batch);
        var etagAfterReplays = await silo.StoredEtagAsync(Id);
        var resent = await grain.ApplyAsync(Event(Id, "r2", InventoryEventType.Reservation, 9, reservationId: "res"), new EventPosition(Topics.Events, 1, 13));

        Assert.Equal(
            [(OutcomeStatus.Applied, null, 1L), (OutcomeStatus.Rejected, RejectionReasons.InsufficientStock, 1L), (OutcomeStatus.Duplicate, null, 1L), (OutcomeStatus.Applied, null, 2L)],
            first.Outcomes.Select(o => (o.Status, o.Reason, o.Version)));
        Assert.Equal(first.Outcomes, replayedActive.Outcomes);
        Assert.Equal(first.Outcomes, replayedReloaded.Outcomes);
        // The earlier attempts committed (each call's ticket says so), so a replay owes only its outcomes: no net
        // stock, and nothing written.
        Assert.False(replayedActive.Changed);
        Assert.False(replayedReloaded.Changed);
        Assert.Equal(replayedActive.Stock.Version, replayedReloaded.Stock.Version);
        Assert.Equal((4L, 25L, 0L), (replayedReloaded.Stock.Version, replayedReloaded.Stock.OnHand, replayedReloaded.Stock.Reserved));
        Assert.Equal(etag, etagAfterReplays);
        Assert.Equal((OutcomeStatus.Duplicate, 4L), (resent.Outcome.Status, resent.Outcome.Version));
    }

    [Fact]
    public async Task ApplyBatchAsync_BatchReplayedAfterItsAttemptDidNotCommit_RepublishesItsStockAndAlertsWhateverTheOrder()
    {
        const string Id = "grain-alert-replay";
        PositionedEvent[] batch =
        [
            new(Event(Id, "a1", InventoryEventType.Return, 20), new EventPosition(Topics.Sales, 5, 7)),
            new(Event(Id, "a2", InventoryEventType.Sale, 15), new EventPosition(Topics.Sales, 5, 8)),
            new(Event(Id, "a3", InventoryEventType.Receipt, 1), new EventPosition(Topics.Events, 5, 100)),
        ];
        var first = await silo.Product(Id).ApplyBatchAsync(batch, new PublicationTicket(5, 100, 0, 1));
        var low = Assert.Single(first.Alerts!);
        Assert.Equal((LowStockState.Low, 5L, 10L, 2L), (low.State, low.Available, low.Threshold, low.Version));

        // Its silo died before committing (epoch 100 of partition 5 committed nothing); the next owner's epoch reads
        // the events partition first, whose message came later.
        var replayed = await silo.Product(Id).ApplyBatchAsync([batch[2], batch[0], batch[1]], new PublicationTicket(5, 101, 0, 1));

        // Then that attempt commits, and a later batch owes nothing of it.
        var later = await silo.Product(Id).ApplyBatchAsync([batch[0]], new PublicationTicket(5, 101, 1, 2));

        Assert.Equal([low], replayed.Alerts!);
        Assert.True(replayed.Changed);
        Assert.Equal(first.Stock, replayed.Stock with { Locations = first.Stock.Locations });
        Assert.Equal(first.Outcomes, [replayed.Outcomes[1], replayed.Outcomes[2], replayed.Outcomes[0]]);
        Assert.False(later.Changed);
        Assert.Empty(later.Alerts!);
    }

    [Fact]
    public async Task ApplyBatchAsync_TicketOfAnOwnerOlderThanTheProductsLastAttempt_RefusedAndNothingApplied()
    {
        const string Id = "grain-zombie-ticket";
        var grain = silo.Product(Id);
        await grain.ApplyBatchAsync([new(Event(Id, "z1", InventoryEventType.Receipt, 5), new EventPosition(Topics.Events, 6, 1))], new PublicationTicket(6, 9, 0, 1));

        // An owner of partition 6 from before epoch 9 (it lost the partition, and woke up) must not publish for it.
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => grain.ApplyBatchAsync([new(Event(Id, "z2", InventoryEventType.Receipt, 5), new EventPosition(Topics.Events, 6, 2))], new PublicationTicket(6, 8, 4, 5)));

        var stock = await grain.GetStockAsync();
        Assert.Equal((1L, 5L), (stock.Version, stock.OnHand));
    }

    [Fact]
    public async Task ApplyBatchAsync_OnlyRejections_PersistsWindowAndWatermarkButReportsNoChange()
    {
        const string Id = "grain-rejections";

        var result = await silo.Product(Id).ApplyBatchAsync([new(Event(Id, "j1", InventoryEventType.ReservationRelease, 0, reservationId: "none"), new EventPosition(Topics.Events, 2, 5))]);
        var stored = await silo.StoredAsync(Id);

        Assert.False(result.Changed);
        Assert.Equal((OutcomeStatus.Rejected, RejectionReasons.UnknownReservation, 0L), (result.Outcomes[0].Status, result.Outcomes[0].Reason, result.Outcomes[0].Version));
        Assert.NotNull(stored);
        Assert.Equal(5, stored.Offsets["inventory.events/2"]);
        Assert.Equal(["j1"], stored.Window.Select(s => s.EventId));
        Assert.Equal(0, stored.Version);
    }

    [Fact]
    public async Task ApplyBatchAsync_OneEventForAnotherProduct_ThrowsArgumentExceptionAndAppliesNone()
    {
        const string Id = "grain-wrong-product";
        var grain = silo.Product(Id);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => grain.ApplyBatchAsync(
        [
            new(Event(Id, "w1", InventoryEventType.Receipt, 5), new EventPosition(Topics.Events, 0, 1)),
            new(Event("grain-other", "w2", InventoryEventType.Receipt, 5), new EventPosition(Topics.Events, 0, 2)),
        ]));

        Assert.Contains("grain-other", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await grain.GetStockAsync()).Version);
        Assert.Null(await silo.StoredAsync(Id));
    }

    [Fact]
    public async Task ApplyBatchAsync_EventIdOver128Characters_ThrowsArgumentException()
    {
        const string Id = "grain-long-id";

        await Assert.ThrowsAsync<ArgumentException>(() => silo.Product(Id).ApplyAsync(Event(Id, new string('e', 129), InventoryEventType.Receipt, 1)));

        Assert.Null(await silo.StoredAsync(Id));
    }

    [Fact]
    public async Task ApplyBatchAsync_InvalidContent_RejectedInvalidEventWithoutWrite()
    {
        const string Id = "grain-invalid";

        var (outcome, _) = await silo.Product(Id).ApplyAsync(Event(Id, "i1", InventoryEventType.Sale, -3), new EventPosition(Topics.Sales, 0, 1));

        Assert.Equal((OutcomeStatus.Rejected, RejectionReasons.InvalidEvent), (outcome.Status, outcome.Reason));
        Assert.Null(await silo.StoredAsync(Id));
    }

    [Fact]
    public async Task ApplyBatchAsync_FullWindow_SmallHeadAndWindowSurvivesReactivation()
    {
        const string Id = "grain-full-window";
        const int WindowSize = 10_000;
        var grain = silo.Product(Id);
        for (var from = 1; from <= WindowSize + 300; from += 100)
        {
            await grain.ApplyBatchAsync(Batch(Id, from, 100));
        }

        await silo.DeactivateAsync(Id);
        var oldestKept = await grain.ApplyBatchAsync(Batch(Id, 301, 1));
        var newest = await grain.ApplyBatchAsync(Batch(Id, WindowSize + 300, 1));
        var evicted = await grain.ApplyBatchAsync(Batch(Id, 300, 1));
        var hash = await silo.Redis.HashGetAllAsync(Grains.Storage.SegmentedRedisGrainStorage.KeyOf(silo.ServiceId, ProductGrain.IdOf(Id), ProductGrain.StateName));

        Assert.Equal(OutcomeStatus.Duplicate, oldestKept.Outcomes[0].Status);
        Assert.Equal(OutcomeStatus.Duplicate, newest.Outcomes[0].Status);
        Assert.Equal((OutcomeStatus.Applied, WindowSize + 301L), (evicted.Outcomes[0].Status, evicted.Outcomes[0].Version));

        // The window (~0.5 MB) lives in sealed segments; the head that every write carries stays small.
        Assert.True(hash.Single(e => e.Name == "data").Value.Length() < 16 * 1024);
        Assert.InRange(hash.Count(e => e.Name.StartsWith("seg:")), (WindowSize / SeenEventWindow.DefaultSegmentSize) - 1, (WindowSize / SeenEventWindow.DefaultSegmentSize) + 2);
    }

    [Fact]
    public async Task ApplyBatchAsync_StoredETagMovedByAnotherWriter_ThrowsInconsistentStateAndNextCallSeesStoredState()
    {
        const string Id = "grain-fenced";
        var grain = silo.Product(Id);
        await grain.ApplyAsync(Event(Id, "f1", InventoryEventType.Receipt, 5), new EventPosition(Topics.Events, 0, 1));

        // Another activation (a zombie's rival) applies an event and writes.
        using (var other = await silo.OtherWriterAsync())
        {
            var state = new Storage.TestGrainState<ProductState>();
            await other.ReadStateAsync(ProductGrain.StateName, ProductGrain.IdOf(Id), state);
            new ProductLedger(Id, state.State, 10_000).Apply(Event(Id, "f2", InventoryEventType.Receipt, 3), new EventPosition(Topics.Events, 0, 2), DateTimeOffset.UtcNow);
            await other.WriteStateAsync(ProductGrain.StateName, ProductGrain.IdOf(Id), state);
        }

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.ApplyAsync(Event(Id, "f3", InventoryEventType.Receipt, 100), new EventPosition(Topics.Events, 0, 3)));
        var reloaded = await grain.GetStockAsync();
        var redelivered = await grain.ApplyAsync(Event(Id, "f2", InventoryEventType.Receipt, 3), new EventPosition(Topics.Events, 0, 2));
        var retried = await grain.ApplyAsync(Event(Id, "f3", InventoryEventType.Receipt, 100), new EventPosition(Topics.Events, 0, 3));

        Assert.Equal((8L, 2L, "f2"), (reloaded.OnHand, reloaded.Version, reloaded.LastEventId));
        Assert.Equal((OutcomeStatus.Applied, 2L), (redelivered.Outcome.Status, redelivered.Outcome.Version));
        Assert.Equal((OutcomeStatus.Applied, 3L, 108L), (retried.Outcome.Status, retried.Outcome.Version, retried.Stock.OnHand));
        Assert.Equal(108, (await silo.StoredAsync(Id))!.ToStockView(Id).OnHand);
    }

    [Fact]
    public async Task ApplyBatchAsync_StaleActivationSealsSegments_StoredWindowKeepsOnlyTheOtherWritersEvents()
    {
        const string Id = "grain-zombie-segments";
        var grain = silo.Product(Id);
        await grain.ApplyAsync(Event(Id, "first", InventoryEventType.Receipt, 1));
        using (var other = await silo.OtherWriterAsync())
        {
            var state = new Storage.TestGrainState<ProductState>();
            await other.ReadStateAsync(ProductGrain.StateName, ProductGrain.IdOf(Id), state);
            var ledger = new ProductLedger(Id, state.State, 10_000);
            foreach (var positioned in Batch(Id, 1, 300, "owner"))
            {
                ledger.Apply(positioned.Event, positioned.Position, DateTimeOffset.UtcNow);
            }

            await other.WriteStateAsync(ProductGrain.StateName, ProductGrain.IdOf(Id), state);
        }

        // 300 events seal two segments of this (stale) activation's window: none of them may reach storage.
        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.ApplyBatchAsync(Batch(Id, 1, 300, "zombie")));
        var owners = await grain.ApplyBatchAsync(Batch(Id, 1, 300, "owner"));
        var zombies = await grain.ApplyBatchAsync(Batch(Id, 1, 300, "zombie"));
        var stored = await silo.StoredAsync(Id);

        Assert.All(owners.Outcomes, o => Assert.Equal(OutcomeStatus.Duplicate, o.Status));
        Assert.All(zombies.Outcomes, o => Assert.Equal(OutcomeStatus.Applied, o.Status));
        Assert.Equal((601L, 601L), (zombies.Stock.OnHand, zombies.Stock.Version));
        Assert.Equal(601, stored!.Window.Count);
        Assert.Equal(["first", "owner-1"], stored.Window.Take(2).Select(s => s.EventId));
    }

    [Fact]
    public async Task ApplyBatchAsync_StoredETagChangedDirectly_ThrowsInconsistentStateAndRetryAppliesOnce()
    {
        const string Id = "grain-etag-bumped";
        var grain = silo.Product(Id);
        await grain.ApplyAsync(Event(Id, "g1", InventoryEventType.Receipt, 5), new EventPosition(Topics.Events, 0, 1));
        await silo.Redis.HashSetAsync(Grains.Storage.SegmentedRedisGrainStorage.KeyOf(silo.ServiceId, ProductGrain.IdOf(Id), ProductGrain.StateName), "etag", "another-writer");

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.ApplyAsync(Event(Id, "g2", InventoryEventType.Sale, 2), new EventPosition(Topics.Sales, 0, 1)));
        var reloaded = await grain.GetStockAsync();
        var retried = await grain.ApplyAsync(Event(Id, "g2", InventoryEventType.Sale, 2), new EventPosition(Topics.Sales, 0, 1));
        var again = await grain.ApplyAsync(Event(Id, "g2", InventoryEventType.Sale, 2), new EventPosition(Topics.Sales, 0, 1));

        Assert.Equal((5L, 1L), (reloaded.OnHand, reloaded.Version));
        Assert.Equal((OutcomeStatus.Applied, 2L, 3L), (retried.Outcome.Status, retried.Outcome.Version, retried.Stock.OnHand));
        Assert.Equal(retried.Outcome, again.Outcome);
        Assert.Equal(3, again.Stock.OnHand);
    }

    [Fact]
    public async Task HoldsDecisionAsync_StorageWentBackUnderTheActivation_AnswersFromStorageAndTheStaleActivationGoes()
    {
        const string Id = "grain-holds-went-back";
        var grain = silo.Product(Id);
        var first = new EventPosition(Topics.Events, 0, 1);
        var second = new EventPosition(Topics.Events, 0, 2);
        await grain.ApplyAsync(Event(Id, "h1", InventoryEventType.Receipt, 5), first);
        var key = Grains.Storage.SegmentedRedisGrainStorage.KeyOf(silo.ServiceId, ProductGrain.IdOf(Id), ProductGrain.StateName);
        var older = await silo.Redis.HashGetAllAsync(key);
        await grain.ApplyAsync(Event(Id, "h2", InventoryEventType.Receipt, 3), second);
        var heldBefore = await grain.HoldsDecisionAsync("h2", second);

        // Storage goes back to the copy taken after the first write, under the activation that made the second.
        await silo.Redis.KeyDeleteAsync(key);
        await silo.Redis.HashSetAsync(key, older);

        Assert.True(heldBefore);
        Assert.False(await grain.HoldsDecisionAsync("h2", second));
        Assert.True(await grain.HoldsDecisionAsync("h1", first));
        Assert.False(await grain.HoldsDecisionAsync("other", first));

        // The activation that still remembered the second receipt went: what is served now is what storage holds.
        await Eventually.TrueAsync(async () => (await grain.GetStockAsync()).OnHand == 5, TimeSpan.FromSeconds(30), "the stale activation is replaced by one that read storage");
    }

    private static InventoryEvent Event(string productId, string eventId, InventoryEventType type, long quantity, string? reservationId = null) =>
        new(eventId, type, productId, quantity, T0, ReservationId: reservationId);

    private static PositionedEvent[] Batch(string productId, int from, int count, string prefix = "e") =>
        Enumerable.Range(from, count).Select(i => new PositionedEvent(Event(productId, $"{prefix}-{i}", InventoryEventType.Receipt, 1), null)).ToArray();

    private static string Json(object value) => JsonSerializer.Serialize(value);
}
