using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Tests.Support;
using InventoryOrleans.TestSupport;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests;

/// <summary>
/// Reservation expiry through Orleans reminders on a real silo (real clock, the silo's own 2 s retry period). The silo
/// runs no ingest, so its expiry publisher confirms every release at once (<c>ExpiryPublishedAsync(long.MaxValue)</c>).
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ProductGrainExpiryTests(SiloCluster silo)
{
    // CONTRACTS.md: a reservation past expiresAt is released within 5 s, also while the product is idle.
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
        await silo.Redis.HashIncrementAsync(Grains.Storage.SegmentedRedisGrainStorage.KeyOf(silo.ServiceId, ProductGrain.IdOf(Id), ProductGrain.StateName), "etag");
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
    public async Task ExpiryPublishedAsync_PendingReleaseConfirmed_PendingClearedWithoutNewVersion()
    {
        const string Id = "expiry-confirmed";
        await silo.Product(Id).ApplyAsync(Receipt(Id, "z1", 10));
        await silo.DeactivateAsync(Id);
        await MarkPendingAsync(Id);

        await silo.Product(Id).ExpiryPublishedAsync(1);
        var stored = await silo.StoredAsync(Id);

        Assert.False(stored!.ExpiryPublishPending);
        Assert.Equal((1L, "z1"), (stored.Version, stored.LastEventId));
    }

    [Fact]
    public async Task ExpiryPublishedAsync_OlderVersionThanReleased_KeepsRetryingUntilConfirmed()
    {
        const string Id = "expiry-older";
        await silo.Product(Id).ApplyAsync(Receipt(Id, "w1", 10));
        await silo.Product(Id).ApplyAsync(Receipt(Id, "w2", 10));
        await silo.DeactivateAsync(Id);
        await MarkPendingAsync(Id);

        // Version 1 is older than the state's 2: the grain keeps the release pending and its reminder firing; the
        // reminder hands the product to the silo's publisher again, whose confirmation covers it.
        await silo.Product(Id).ExpiryPublishedAsync(1);

        await Eventually.TrueAsync(
            async () => (await silo.StoredAsync(Id))!.ExpiryPublishPending == false,
            TimeSpan.FromSeconds(15),
            "the reminder re-publishes and the confirmation clears the pending release");
        Assert.Equal(2, (await silo.StoredAsync(Id))!.Version);
        await Eventually.TrueAsync(async () => await silo.ExpiryReminderAsync(Id) is null, TimeSpan.FromSeconds(15), "the reminder is dropped");
    }

    [Fact]
    public async Task ExpiryPublishedAsync_NothingPending_NoWriteAndReminderStaysAtTheEarliestExpiry()
    {
        const string Id = "expiry-nothing-pending";
        var grain = silo.Product(Id);
        var expiresAt = DateTimeOffset.UtcNow.AddHours(1);
        await grain.ApplyAsync(Receipt(Id, "v1", 10));
        await grain.ApplyAsync(Reserve(Id, "v2", "r1", 4, expiresAt));
        var etag = await silo.StoredEtagAsync(Id);

        await grain.ExpiryPublishedAsync(long.MaxValue);
        await silo.DeactivateAsync(Id);
        await grain.ExpiryPublishedAsync(long.MaxValue);
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

    // What a release by expiry leaves behind until the publisher confirms it, written as the grain would.
    private async Task MarkPendingAsync(string productId)
    {
        using var other = await silo.OtherWriterAsync();
        var state = new Storage.TestGrainState<ProductState>();
        await other.ReadStateAsync(ProductGrain.StateName, ProductGrain.IdOf(productId), state);
        state.State.ExpiryPublishPending = true;
        await other.WriteStateAsync(ProductGrain.StateName, ProductGrain.IdOf(productId), state);
    }

    private static InventoryEvent Receipt(string productId, string eventId, long quantity) =>
        new(eventId, InventoryEventType.Receipt, productId, quantity, T0);

    private static InventoryEvent Reserve(string productId, string eventId, string reservationId, long quantity, DateTimeOffset expiresAt) =>
        new(eventId, InventoryEventType.Reservation, productId, quantity, T0, ReservationId: reservationId, ExpiresAt: expiresAt);
}
