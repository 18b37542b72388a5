using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Publication;
using InventoryOrleans.Grains.Tests.Storage;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using StackExchange.Redis;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Publication;

/// <summary>
/// What a product claims for a publication attempt and how it learns which attempts committed, against the real
/// publication history in a real redis-server (each test on its own partition number).
/// </summary>
public sealed class PublicationBookTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private readonly RedisPublicationHistory _history = new(
        ConfigurationOptions.Parse(redis.Server.ConnectionString),
        Options.Create(new ClusterOptions { ServiceId = "book-tests" }));

    public void Dispose() => _history.Dispose();

    // A product that changed three times (versions 1-3), crossing low at 1 and recovering at 3 (threshold 5).
    private static ProductLedger Changed()
    {
        var ledger = new ProductLedger(ProductId, new ProductState(), 100, 5);
        ledger.Apply(Receipt("r1", 3), new EventPosition(Topics.Events, 0, 1), T0);
        ledger.Apply(Receipt("r2", 1), new EventPosition(Topics.Events, 0, 2), T0);
        ledger.Apply(Receipt("r3", 10), new EventPosition(Topics.Events, 0, 3), T0);
        return ledger;
    }

    [Fact]
    public void Claim_NothingPublished_StockDueWithEveryAlertAndTheAttemptRecorded()
    {
        var state = Changed().State;

        var (due, alerts) = PublicationBook.Claim(state, new PublicationTicket(4, 2, 6, 7));

        Assert.True(due);
        Assert.Equal([(LowStockState.Low, 1L), (LowStockState.Recovered, 3L)], alerts.Select(a => (a.State, a.Version)));
        Assert.Equal((4, 2L, 7L, 3L), (state.PendingPublication!.Partition, state.PendingPublication.Epoch, state.PendingPublication.Attempt, state.PendingPublication.Version));
    }

    [Fact]
    public async Task SettleAsync_AttemptOfTheSameEpochCommitted_ItsVersionsCountPublishedAndNothingIsDueAgain()
    {
        var state = Changed().State;
        PublicationBook.Claim(state, new PublicationTicket(4, 2, 6, 7));

        var settled = await new PublicationBook(_history).SettleAsync(state, new PublicationTicket(4, 2, 7, 8));
        var (due, alerts) = PublicationBook.Claim(state, new PublicationTicket(4, 2, 7, 8));

        Assert.True(settled);
        Assert.Equal(3, state.PublishedVersion);
        Assert.Empty(state.RecentAlerts);
        Assert.Null(state.PendingPublication);
        Assert.False(due);
        Assert.Empty(alerts);
    }

    [Fact]
    public async Task SettleAsync_EpochEndedBeforeTheAttempt_EverythingOfItIsDueAgainInTheNewAttempt()
    {
        var state = Changed().State;
        PublicationBook.Claim(state, new PublicationTicket(11, 2, 6, 7));

        // The owner's attempt 7 did not commit: epoch 2 ended at 6, and epoch 3 opened.
        await _history.BeginEpochAsync(11, new PublicationMark(2, 6));
        await new PublicationBook(_history).SettleAsync(state, new PublicationTicket(11, 3, 0, 1));
        var (due, alerts) = PublicationBook.Claim(state, new PublicationTicket(11, 3, 0, 1));

        Assert.True(due);
        Assert.Equal([1L, 3L], alerts.Select(a => a.Version));
        Assert.Equal(0, state.PublishedVersion);
        Assert.Equal((3L, 1L), (state.PendingPublication!.Epoch, state.PendingPublication.Attempt));
    }

    [Fact]
    public async Task SettleAsync_EpochEndedAfterTheAttemptCommitted_CountsPublished()
    {
        // The owner died after committing attempt 7; the next owner read mark (2, 7) from Kafka and opened epoch 3.
        var state = Changed().State;
        PublicationBook.Claim(state, new PublicationTicket(12, 2, 6, 7));
        await _history.BeginEpochAsync(12, new PublicationMark(2, 7));

        await new PublicationBook(_history).SettleAsync(state, new PublicationTicket(12, 3, 0, 1));

        Assert.Equal(3, state.PublishedVersion);
        Assert.False(PublicationBook.Claim(state, new PublicationTicket(12, 3, 0, 1)).StockDue);
    }

    [Fact]
    public async Task SettleAsync_EpochThatNeverCommitted_AttemptDidNotCommit()
    {
        // Epochs 2 and 3 were opened by owners that died before committing anything; the history has no entry for them.
        var state = Changed().State;
        PublicationBook.Claim(state, new PublicationTicket(13, 2, 0, 1));

        await new PublicationBook(_history).SettleAsync(state, new PublicationTicket(13, 4, 0, 1));

        Assert.Equal(0, state.PublishedVersion);
        Assert.True(PublicationBook.Claim(state, new PublicationTicket(13, 4, 0, 1)).StockDue);
    }

    [Fact]
    public async Task SettleAsync_ProductWentOutInANewerEpoch_RefusesTheOlderOwner()
    {
        var state = Changed().State;
        PublicationBook.Claim(state, new PublicationTicket(4, 5, 0, 1));

        var stale = await Assert.ThrowsAsync<InconsistentStateException>(
            async () => await new PublicationBook(_history).SettleAsync(state, new PublicationTicket(4, 4, 9, 10)));

        Assert.Contains("lost the partition", stale.Message, StringComparison.Ordinal);
        Assert.Equal(5, state.PendingPublication!.Epoch);
    }

    [Fact]
    public async Task Claim_AgainInTheSameAttempt_AnswersEverythingNotPublishedAgain()
    {
        // The first call's write went through but its answer was lost (storage timed out): the caller retries the
        // product in the same attempt and must get every output again, the changes since included.
        var ledger = Changed();
        var ticket = new PublicationTicket(4, 2, 6, 7);
        PublicationBook.Claim(ledger.State, ticket);
        ledger.Apply(Sale("s1", 9), new EventPosition(Topics.Sales, 0, 1), T0);

        var settled = await new PublicationBook(_history).SettleAsync(ledger.State, ticket);
        var (due, alerts) = PublicationBook.Claim(ledger.State, ticket);

        Assert.False(settled);
        Assert.True(due);
        Assert.Equal([(LowStockState.Low, 1L), (LowStockState.Recovered, 3L), (LowStockState.Low, 4L)], alerts.Select(a => (a.State, a.Version)));
        Assert.Equal((7L, 4L), (ledger.State.PendingPublication!.Attempt, ledger.State.PendingPublication.Version));
    }

    /// <summary>
    /// Overlapped batches: attempt 7 is still committing when the next batch claims attempt 8 (ticket: committed 6). What
    /// 7 carries (versions up to 3, alerts 1 and 3) is neither settled nor claimed again; 8 claims only what came after.
    /// </summary>
    [Fact]
    public async Task Claim_WhileTheAttemptBeforeIsInFlight_ClaimsOnlyTheChangesAfterIt()
    {
        var ledger = Changed();
        PublicationBook.Claim(ledger.State, new PublicationTicket(4, 2, 6, 7));
        ledger.Apply(Sale("s1", 9), new EventPosition(Topics.Sales, 0, 1), T0);
        var next = new PublicationTicket(4, 2, 6, 8);

        var settled = await new PublicationBook(_history).SettleAsync(ledger.State, next);
        var (due, alerts) = PublicationBook.Claim(ledger.State, next);

        Assert.False(settled);
        Assert.True(due);
        Assert.Equal([4L], alerts.Select(a => a.Version));
        Assert.Equal((7L, 3L), (ledger.State.EarlierPublication!.Attempt, ledger.State.EarlierPublication.Version));
        Assert.Equal((8L, 4L), (ledger.State.PendingPublication!.Attempt, ledger.State.PendingPublication.Version));
        Assert.Equal(0, ledger.State.PublishedVersion);
    }

    [Fact]
    public async Task SettleAsync_BothOverlappedAttemptsCommitted_EverythingPublished()
    {
        var ledger = await ClaimedInTwoOverlappedAttemptsAsync(4);

        // Attempt 7 committed while 8 was being claimed: the ticket of 9 would say committed 7, then 8.
        await new PublicationBook(_history).SettleAsync(ledger.State, new PublicationTicket(4, 2, 7, 9));
        Assert.Equal(3, ledger.State.PublishedVersion);
        Assert.Equal((8L, 4L), (ledger.State.PendingPublication!.Attempt, ledger.State.PendingPublication.Version));
        Assert.Null(ledger.State.EarlierPublication);
        Assert.False(PublicationBook.Claim(ledger.State, new PublicationTicket(4, 2, 7, 9)).StockDue);

        await new PublicationBook(_history).SettleAsync(ledger.State, new PublicationTicket(4, 2, 8, 10));
        Assert.Equal(4, ledger.State.PublishedVersion);
        Assert.Null(ledger.State.PendingPublication);
        Assert.Empty(ledger.State.RecentAlerts);
        Assert.False(PublicationBook.Claim(ledger.State, new PublicationTicket(4, 2, 8, 10)).StockDue);
    }

    /// <summary>
    /// The attempt in flight did not commit: its epoch ended at 6, so the attempt claimed after it could not commit
    /// either. The new epoch's first attempt claims everything since the last published version again.
    /// </summary>
    [Fact]
    public async Task SettleAsync_InFlightAttemptFailed_BothOverlappedAttemptsAreDueAgain()
    {
        var ledger = await ClaimedInTwoOverlappedAttemptsAsync(14);
        await _history.BeginEpochAsync(14, new PublicationMark(2, 6));

        var settled = await new PublicationBook(_history).SettleAsync(ledger.State, new PublicationTicket(14, 3, 0, 1));
        var (due, alerts) = PublicationBook.Claim(ledger.State, new PublicationTicket(14, 3, 0, 1));

        Assert.True(settled);
        Assert.True(due);
        Assert.Equal([1L, 3L, 4L], alerts.Select(a => a.Version));
        Assert.Equal(0, ledger.State.PublishedVersion);
        Assert.Null(ledger.State.EarlierPublication);
        Assert.Equal((3L, 1L, 4L), (ledger.State.PendingPublication!.Epoch, ledger.State.PendingPublication.Attempt, ledger.State.PendingPublication.Version));
    }

    /// <summary>The in-flight attempt committed and the one after it did not (its transaction aborted): only the later changes are due again.</summary>
    [Fact]
    public async Task SettleAsync_FirstOverlappedAttemptCommittedSecondNot_OnlyTheSecondIsDueAgain()
    {
        var ledger = await ClaimedInTwoOverlappedAttemptsAsync(15);
        await _history.BeginEpochAsync(15, new PublicationMark(2, 7));

        await new PublicationBook(_history).SettleAsync(ledger.State, new PublicationTicket(15, 3, 0, 1));
        var (due, alerts) = PublicationBook.Claim(ledger.State, new PublicationTicket(15, 3, 0, 1));

        Assert.Equal(3, ledger.State.PublishedVersion);
        Assert.True(due);
        Assert.Equal([4L], alerts.Select(a => a.Version));
    }

    [Fact]
    public async Task Claim_ThirdAttemptWhileTwoAreInFlight_Refused()
    {
        var ledger = Changed();
        PublicationBook.Claim(ledger.State, new PublicationTicket(4, 2, 6, 7));
        ledger.Apply(Sale("s1", 9), new EventPosition(Topics.Sales, 0, 1), T0);
        PublicationBook.Claim(ledger.State, new PublicationTicket(4, 2, 6, 8));
        ledger.Apply(Sale("s2", 1), new EventPosition(Topics.Sales, 0, 2), T0);
        var third = new PublicationTicket(4, 2, 6, 9);

        await new PublicationBook(_history).SettleAsync(ledger.State, third);

        Assert.Throws<InvalidOperationException>(() => PublicationBook.Claim(ledger.State, third));
    }

    // Versions 1-3 claimed in attempt 7 of epoch 2 on partition; then a sale (version 4, low again) claimed in attempt 8
    // while 7 is still committing (the tickets say committed 6).
    private async Task<ProductLedger> ClaimedInTwoOverlappedAttemptsAsync(int partition)
    {
        var ledger = Changed();
        PublicationBook.Claim(ledger.State, new PublicationTicket(partition, 2, 6, 7));
        ledger.Apply(Sale("s1", 9), new EventPosition(Topics.Sales, 0, 1), T0);
        await new PublicationBook(_history).SettleAsync(ledger.State, new PublicationTicket(partition, 2, 6, 8));
        PublicationBook.Claim(ledger.State, new PublicationTicket(partition, 2, 6, 8));
        return ledger;
    }

    [Fact]
    public void MarkPublished_ExpiryReleaseCovered_NotPendingAnyMore()
    {
        var state = Changed().State;
        state.PublishedVersion = 1;
        state.ExpiryReleasedVersion = 3;
        Assert.True(state.ExpiryPublishPending);

        PublicationBook.MarkPublished(state, 3);

        Assert.False(state.ExpiryPublishPending);
        Assert.Null(state.ExpiryReleasedVersion);
        Assert.Empty(state.RecentAlerts);
    }

    /// <summary>
    /// A hot product: an attempt that committed covers its expiry release (version 2) while a newer change (3) is not
    /// known published yet. The release counts as published once the published version reaches the release's — not the
    /// product's current version, which the next batch of a product receiving events has always moved on — and only the
    /// alerts after the published version stay kept for republication.
    /// </summary>
    [Fact]
    public void MarkPublished_ReleaseCoveredWhileNewerChangesAreUnpublished_ReleaseSettledAndOnlyNewerAlertsKept()
    {
        var state = Changed().State;
        state.ExpiryReleasedVersion = 2;
        Assert.True(state.ExpiryPublishPending);

        PublicationBook.MarkPublished(state, 2);

        Assert.Equal((2L, 3L), (state.PublishedVersion, state.Version));
        Assert.False(state.ExpiryPublishPending);
        Assert.Null(state.ExpiryReleasedVersion);
        Assert.Equal([3L], state.RecentAlerts.Select(a => a.Version));
    }

    [Fact]
    public void ProductLedger_StateStoredBeforePublicationsWereTracked_CountsPublishedUpToItsVersion()
    {
        var state = Changed().State;
        state.PublishedVersion = null;

        var ledger = new ProductLedger(ProductId, state, 100, 5);

        Assert.Equal(3, ledger.State.PublishedVersion);
        Assert.False(PublicationBook.Claim(ledger.State, new PublicationTicket(0, 1, 0, 1)).StockDue);
    }
}
