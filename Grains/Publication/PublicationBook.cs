using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using Orleans.Storage;

namespace InventoryOrleans.Grains.Publication;

/// <summary>
/// What of a product's changes goes out with a publication attempt, and which attempts committed (see
/// <see cref="PublicationTicket"/>). The state keeps the highest version known published
/// (<see cref="ProductState.PublishedVersion"/>), the attempt its newer changes went out in
/// (<see cref="ProductState.PendingPublication"/>, and <see cref="ProductState.EarlierPublication"/> when the attempt
/// before it was still in flight), and exactly the alerts not known published: so a transaction that did not commit is
/// published again, whole, and one that did is never repeated.
/// </summary>
public sealed class PublicationBook(IPublicationHistory history)
{
    /// <summary>
    /// Settles the stored attempts against <paramref name="ticket"/>: one that committed counts its versions as
    /// published; one that did not makes its outputs due again; one still in flight (between the ticket's committed
    /// attempt and its own: the sender commits it, or ends the epoch, before the ticket's attempt) is kept as it is, and
    /// what it covers is not claimed again. An attempt of the ticket's epoch at or before its committed one committed.
    /// Returns whether the state changed.
    /// </summary>
    /// <exception cref="InconsistentStateException">The product went out in a later epoch or attempt than the ticket's:
    /// its sender lost the partition to a newer owner (a zombie) and must not publish.</exception>
    public async ValueTask<bool> SettleAsync(ProductState state, PublicationTicket ticket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var changed = false;

        // Oldest first: an earlier attempt that committed is published before the later one is looked at.
        foreach (var pending in (PendingPublication?[])[state.EarlierPublication, state.PendingPublication])
        {
            if (pending is null || IsSameAttempt(pending, ticket))
            {
                continue;
            }

            var committed = await CommittedAsync(pending, ticket, cancellationToken);
            if (committed is null)
            {
                continue;
            }

            Forget(state, pending);
            if (committed.Value)
            {
                MarkPublished(state, pending.Version);
            }

            changed = true;
        }

        return changed;
    }

    // Whether the attempt committed; null while it is in flight.
    private async ValueTask<bool?> CommittedAsync(PendingPublication pending, PublicationTicket ticket, CancellationToken cancellationToken)
    {
        if (pending.Partition != ticket.Partition)
        {
            // The input topics were repartitioned: the old partition's marks say nothing here. Publishing again risks
            // one identical repeat; not publishing could lose the newest stock.
            return false;
        }

        if (pending.Epoch > ticket.Epoch || (pending.Epoch == ticket.Epoch && pending.Attempt > ticket.Attempt))
        {
            throw new InconsistentStateException(
                $"Product outputs went out in publication attempt ({pending.Epoch}, {pending.Attempt}) of partition {pending.Partition}, later than the caller's ({ticket.Epoch}, {ticket.Attempt}): the caller lost the partition.",
                $"{pending.Epoch}/{pending.Attempt}",
                $"{ticket.Epoch}/{ticket.Attempt}");
        }

        if (pending.Epoch == ticket.Epoch)
        {
            return pending.Attempt <= ticket.Committed ? true : null;
        }

        return pending.Attempt <= await history.CommittedInAsync(pending.Partition, pending.Epoch, cancellationToken);
    }

    private static void Forget(ProductState state, PendingPublication pending)
    {
        if (ReferenceEquals(state.EarlierPublication, pending))
        {
            state.EarlierPublication = null;
        }
        else if (ReferenceEquals(state.PendingPublication, pending))
        {
            state.PendingPublication = state.EarlierPublication;
            state.EarlierPublication = null;
        }
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

        // What an attempt still in flight carries is not claimed again: it commits, or its epoch ends and this one with it.
        // (Settled against the same ticket first, a stored attempt is this one or in flight.)
        var again = state.PendingPublication is { } pending && IsSameAttempt(pending, ticket);
        var inFlight = again ? state.EarlierPublication : state.PendingPublication;
        var covered = Math.Max(state.PublishedVersion ?? state.Version, inFlight?.Version ?? 0);
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

        if (!again && inFlight is not null)
        {
            if (state.EarlierPublication is not null)
            {
                throw new InvalidOperationException(
                    $"A third publication attempt ({ticket.Epoch}, {ticket.Attempt}) was claimed while two were in flight: the sender has at most one attempt committing while it applies the next.");
            }

            state.EarlierPublication = inFlight;
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

        if (state.EarlierPublication is { } earlier && earlier.Version <= published)
        {
            state.EarlierPublication = null;
        }

        if (state.PendingPublication is { } pending && pending.Version <= published)
        {
            state.PendingPublication = state.EarlierPublication;
            state.EarlierPublication = null;
        }
    }

    private static bool IsSameAttempt(PendingPublication pending, PublicationTicket ticket) =>
        pending.Partition == ticket.Partition && pending.Epoch == ticket.Epoch && pending.Attempt == ticket.Attempt;
}
