using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Tests.Support;
using InventoryOrleans.TestSupport;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests;

/// <summary>
/// Reservation expiry through Orleans reminders on a real silo (real clock, the silo's own 2 s retry period). The silo
/// runs no ingest, so its expiry publisher counts every release as published at once (<c>SkipPublicationAsync</c>).
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ProductGrainExpiryTests(SiloCluster silo)
{
    // docs/CONTRACTS.md: a reservation past expiresAt is released within 5 s, also while the product is idle.
    private static readonly TimeSpan ExpiryBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task ReceiveReminder_ReservationExpiresWhileProductIdle_ReleasedWithinFiveSecondsOfExpiry()
    {
        const string Id = "expiry-idle";
        var grain = silo.Product(Id);
        await grain.ApplyAsync(Receipt(Id, "x1", 10));
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2);
        var (reserved, _) = await grain.ApplyAsync(Reserve(Id, "x2", "r1", 4, expiresAt));
        Assert.Equal((OutcomeStatus.Applied, 2L), (reserved.Status, reserved.Version));

        // Idle: no activation left, nothing calls the product; only the reminder can release it.
        await silo.DeactivateAsync(Id);
        Assert.NotNull(await silo.ExpiryReminderAsync(Id));
        var released = await ReleasedAsync(Id, expiresAt);

        Assert.Equal((0L, 10L, 3L, "x2"), (released.Reserved, released.OnHand.Values.Sum(), released.Version, released.LastEventId));
        Assert.Empty(released.Reservations);
        Assert.InRange(released.UpdatedAt, expiresAt, expiresAt + ExpiryBound);

        // The publisher's confirmation ends the retries: nothing pending, no reminder left, no further version.
        await Eventually.TrueAsync(
            async () => (await silo.StoredAsync(Id))!.ExpiryPublishPending == false && await silo.ExpiryReminderAsync(Id) is null,
            TimeSpan.FromSeconds(15),
            "the release is confirmed and the reminder dropped");
        Assert.Equal(3, (await grain.GetStockAsync()).Version);
    }

    [Fact]
    public async Task ApplyBatchAsync_ReservationEndsBeforeItsExpiry_ReminderDropped()
    {
        const string Id = "expiry-ended";
        var grain = silo.Product(Id);
        await grain.ApplyAsync(Receipt(Id, "y1", 10));
        await grain.ApplyAsync(Reserve(Id, "y2", "r1", 4, DateTimeOffset.UtcNow.AddHours(1)));
        var whileHeld = await silo.ExpiryReminderAsync(Id);

        await grain.ApplyAsync(new InventoryEvent("y3", InventoryEventType.ReservationRelease, Id, 0, T0, ReservationId: "r1"));
        var afterRelease = await silo.ExpiryReminderAsync(Id);

        // The stored due time is only a hint (updated with the next write); a new activation writing must not bring the reminder back.
        await silo.DeactivateAsync(Id);
        await grain.ApplyAsync(Receipt(Id, "y4", 1));

        Assert.NotNull(whileHeld);
        Assert.Null(afterRelease);
        Assert.Null(await silo.ExpiryReminderAsync(Id));
    }

    [Fact]
    public async Task ApplyBatchAsync_WriteOfANewExpiryFails_ReminderRegisteredFirstAndDroppedOnTheEarlyWakeUp()
    {
        const string Id = "expiry-write-failed";
        var grain = silo.Product(Id);
        await grain.ApplyAsync(Receipt(Id, "u1", 10));
        await silo.Redis.HashSetAsync(Grains.Storage.SegmentedRedisGrainStorage.KeyOf(silo.ServiceId, ProductGrain.IdOf(Id), ProductGrain.StateName), "etag", "another-writer");
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2);

        await Assert.ThrowsAsync<Orleans.Storage.InconsistentStateException>(() => grain.ApplyAsync(Reserve(Id, "u2", "r1", 4, expiresAt)));
        var afterFailure = await silo.ExpiryReminderAsync(Id);

        // The reminder goes in before the state that needs it, so a failed write can only cause an early wake-up:
        // it finds nothing due and drops the reminder, and the stored product stays as it was.
        Assert.NotNull(afterFailure);
        await Eventually.TrueAsync(
            async () => await silo.ExpiryReminderAsync(Id) is null,
            expiresAt + ExpiryBound - DateTimeOffset.UtcNow,
            "the wake-up drops the reminder of the reservation that was never stored");
        var stored = await silo.StoredAsync(Id);
        Assert.Equal((1L, 0L), (stored!.Version, stored.Reserved));
        Assert.Empty(stored.Reservations);
    }

    [Fact]
    public async Task PublishedAsync_AttemptOfThePendingReleaseCommitted_PendingClearedWithoutNewVersion()
    {
        const string Id = "expiry-confirmed";
        await silo.Product(Id).ApplyAsync(Receipt(Id, "z1", 10));
        await silo.DeactivateAsync(Id);
        await MarkPendingAsync(Id, new PublicationTicket(3, 7, 2, 3));

        // The owner of partition 3 committed attempts up to 3 of epoch 7.
        await silo.Product(Id).PublishedAsync(new PublicationTicket(3, 7, 3, 4));
        var stored = await silo.StoredAsync(Id);

        Assert.False(stored!.ExpiryPublishPending);
        Assert.Null(stored.PendingPublication);
        Assert.Equal((1L, 1L, "z1"), (stored.Version, stored.PublishedVersion, stored.LastEventId));
    }

    [Fact]
    public async Task PublishedAsync_AttemptOfThePendingReleaseDidNotCommit_ReleaseStaysPendingAndTheReminderRetriesIt()
    {
        const string Id = "expiry-not-committed";
        await silo.Product(Id).ApplyAsync(Receipt(Id, "w1", 10));
        await silo.DeactivateAsync(Id);
        await MarkPendingAsync(Id, new PublicationTicket(3, 7, 2, 3));

        // A ticket of epoch 8: epoch 7 of partition 3 ended with nothing committed (the history holds no final attempt
        // for it), so attempt 3 did not commit. The release is due again, and the reminder fires until a publisher gets
        // it out (this silo's counts it as published at once).
        await silo.Product(Id).PublishedAsync(new PublicationTicket(3, 8, 0, 1));
        var right = await silo.StoredAsync(Id);

        Assert.True(right!.ExpiryPublishPending);
        Assert.Null(right.PendingPublication);
        Assert.NotNull(await silo.ExpiryReminderAsync(Id));
        await Eventually.TrueAsync(
            async () => (await silo.StoredAsync(Id))!.ExpiryPublishPending == false,
            TimeSpan.FromSeconds(15),
            "the reminder hands the release to the publisher again, which gets it out");
        Assert.Equal(1, (await silo.StoredAsync(Id))!.Version);
        await Eventually.TrueAsync(async () => await silo.ExpiryReminderAsync(Id) is null, TimeSpan.FromSeconds(15), "the reminder is dropped");
    }

    [Fact]
    public async Task PublishedAsync_NothingPending_NoWriteAndReminderStaysAtTheEarliestExpiry()
    {
        const string Id = "expiry-nothing-pending";
        var grain = silo.Product(Id);
        var expiresAt = DateTimeOffset.UtcNow.AddHours(1);
        await grain.ApplyAsync(Receipt(Id, "v1", 10));
        await grain.ApplyAsync(Reserve(Id, "v2", "r1", 4, expiresAt));
        var etag = await silo.StoredEtagAsync(Id);

        await grain.PublishedAsync(ProductGrainExtensions.NextTicket());
        await silo.DeactivateAsync(Id);
        await grain.PublishedAsync(ProductGrainExtensions.NextTicket());
        var reminder = await silo.ExpiryReminderAsync(Id);

        Assert.Equal(etag, await silo.StoredEtagAsync(Id));
        Assert.NotNull(reminder);
        Assert.InRange(reminder.StartAt, expiresAt.UtcDateTime.AddSeconds(-5), expiresAt.UtcDateTime.AddSeconds(5));
        Assert.Equal(4, (await grain.GetStockAsync()).Reserved);
    }

    // Waits (polling storage) until the product's reserved stock is released, at most until 5 s after expiresAt.
    private async Task<ProductState> ReleasedAsync(string productId, DateTimeOffset expiresAt)
    {
        ProductState? stored = null;
        await Eventually.TrueAsync(
            async () => (stored = await silo.StoredAsync(productId))?.Reserved == 0,
            expiresAt + ExpiryBound - DateTimeOffset.UtcNow,
            $"{productId}'s reservation is released (expired at {expiresAt:O})");
        return stored!;
    }

    // What a release by expiry leaves behind until it is known published, written as the grain would: the release's
    // version went out in the attempt of the ticket, not yet known committed.
    private async Task MarkPendingAsync(string productId, PublicationTicket ticket)
    {
        using var other = await silo.OtherWriterAsync();
        var state = new Storage.TestGrainState<ProductState>();
        await other.ReadStateAsync(ProductGrain.StateName, ProductGrain.IdOf(productId), state);
        state.State.PublishedVersion = state.State.Version - 1;
        state.State.ExpiryReleasedVersion = state.State.Version;
        state.State.PendingPublication = new InventoryOrleans.Grains.Publication.PendingPublication { Partition = ticket.Partition, Epoch = ticket.Epoch, Attempt = ticket.Attempt, Version = state.State.Version };
        await other.WriteStateAsync(ProductGrain.StateName, ProductGrain.IdOf(productId), state);
    }

    private static InventoryEvent Receipt(string productId, string eventId, long quantity) =>
        new(eventId, InventoryEventType.Receipt, productId, quantity, T0);

    private static InventoryEvent Reserve(string productId, string eventId, string reservationId, long quantity, DateTimeOffset expiresAt) =>
        new(eventId, InventoryEventType.Reservation, productId, quantity, T0, ReservationId: reservationId, ExpiresAt: expiresAt);
}
