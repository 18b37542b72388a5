using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using Orleans.Storage;

namespace InventoryOrleans.Grains.Publication;

/// <summary>
/// What of a product's changes goes out with a publication attempt, and which attempts committed (see
/// <see cref="PublicationTicket"/>). The state keeps the highest version known published
/// (<see cref="ProductState.PublishedVersion"/>), the attempt its newer changes went out in
/// (<see cref="ProductState.PendingPublication"/>), and exactly the alerts not known published: so a transaction that
/// did not commit is published again, whole, and one that did is never repeated.
/// </summary>
public sealed class PublicationBook(IPublicationHistory history)
{
    /// <summary>
    /// Settles the stored attempt against <paramref name="ticket"/>: when it committed, its versions count as published;
    /// when it did not, its outputs are due again. Attempts of a partition are sequential: an attempt of the ticket's
    /// epoch before its current one either committed or ended the epoch. Returns whether the state changed.
    /// </summary>
    /// <exception cref="InconsistentStateException">The product went out in a later epoch or attempt than the ticket's:
    /// its sender lost the partition to a newer owner (a zombie) and must not publish.</exception>
    public async ValueTask<bool> SettleAsync(ProductState state, PublicationTicket ticket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.PendingPublication is not { } pending || IsSameAttempt(pending, ticket))
        {
            return false;
        }

        bool committed;
        if (pending.Partition != ticket.Partition)
        {
            // The input topics were repartitioned: the old partition's marks say nothing here. Publishing again risks
            // one identical repeat; not publishing could lose the newest stock.
            committed = false;
        }
        else if (pending.Epoch > ticket.Epoch || (pending.Epoch == ticket.Epoch && pending.Attempt > ticket.Attempt))
        {
            throw new InconsistentStateException(
                $"Product outputs went out in publication attempt ({pending.Epoch}, {pending.Attempt}) of partition {pending.Partition}, later than the caller's ({ticket.Epoch}, {ticket.Attempt}): the caller lost the partition.",
                $"{pending.Epoch}/{pending.Attempt}",
                $"{ticket.Epoch}/{ticket.Attempt}");
        }
        else if (pending.Epoch == ticket.Epoch)
        {
            committed = pending.Attempt <= ticket.Committed;
        }
        else
        {
            committed = pending.Attempt <= await history.CommittedInAsync(pending.Partition, pending.Epoch, cancellationToken);
        }

        state.PendingPublication = null;
        if (committed)
        {
            MarkPublished(state, pending.Version);
        }

        return true;
    }

    /// <summary>
    /// Claims for <paramref name="ticket"/>'s attempt what is not published yet: whether the net stock is due, and the
    /// alerts (version order). Records the attempt in the state; the caller persists it before publishing. Claiming
    /// again in the same attempt answers everything again: a call whose answer was lost (a timeout while storage was
    /// out, though the write went through) is retried in the same attempt, and its caller has none of it yet. So a
    /// caller claims a product once per attempt.
    /// </summary>
    public static (bool StockDue, IReadOnlyList<LowStockAlert> Alerts) Claim(ProductState state, PublicationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(state);
        var covered = state.PublishedVersion ?? state.Version;
        if (state.Version <= covered)
        {
            return (false, []);
        }

        var alerts = new List<LowStockAlert>();
        foreach (var alert in state.RecentAlerts)
        {
            if (alert.Version > covered)
            {
                alerts.Add(alert);
            }
        }

        state.PendingPublication = new PendingPublication
        {
            Partition = ticket.Partition,
            Epoch = ticket.Epoch,
            Attempt = ticket.Attempt,
            Version = state.Version,
        };
        return (true, alerts);
    }

    /// <summary>Counts every change up to <paramref name="version"/> as published and forgets their alerts.</summary>
    public static void MarkPublished(ProductState state, long version)
    {
        ArgumentNullException.ThrowIfNull(state);
        var published = Math.Max(state.PublishedVersion ?? 0, version);
        state.PublishedVersion = published;
        state.RecentAlerts.RemoveAll(a => a.Version <= published);
        if (state.ExpiryReleasedVersion <= published)
        {
            state.ExpiryReleasedVersion = null;
        }

        if (state.PendingPublication is { } pending && pending.Version <= published)
        {
            state.PendingPublication = null;
        }
    }

    private static bool IsSameAttempt(PendingPublication pending, PublicationTicket ticket) =>
        pending.Partition == ticket.Partition && pending.Epoch == ticket.Epoch && pending.Attempt == ticket.Attempt;
}
