using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// Rebuilds a product's state from its decided messages, replayed from nothing in the order they were decided, and says
/// where a decision comes out other than the one published: the repair of a product whose stored state lost writes
/// (found by the ingest's rollback check). Pure: the caller reads the log and writes the result over the stored state.
/// </summary>
public static class ProductRebuild
{
    /// <summary>
    /// The rebuilt state and the decisions that differ from the published ones. A rebuilt state holds no segment name
    /// of <paramref name="stored"/>'s window: its segments are numbered after them, so one write can put it in place
    /// of the stored one (the old segments stay behind as left-overs, which the next read drops).
    /// </summary>
    public static RebuiltProduct Replay(string productId, ProductState stored, IReadOnlyList<DecidedMessage> history, int windowSize, long defaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(history);
        var next = stored.Window.NextSegmentId;
        var state = new ProductState
        {
            Window = SeenEventWindow.FromHead(SeenEventWindow.DefaultSegmentSize, next, next, 0, []),

            // A watch lease is no decision: whoever watches keeps the stream.
            WatchedUntil = stored.WatchedUntil,
        };
        var ledger = new ProductLedger(productId, state, windowSize, defaultThreshold);
        var differences = new List<DecisionDifference>();
        foreach (var decided in history)
        {
            var outcome = ledger.Apply(decided.Event, decided.Position, decided.DecidedAt);
            _ = ledger.TakeAlerts();
            if (outcome.Status != decided.Status || outcome.Reason != decided.Reason || outcome.Version != decided.Version)
            {
                differences.Add(new DecisionDifference(decided.Position, decided.Event.EventId, decided.Status, decided.Reason, decided.Version, outcome.Status, outcome.Reason, outcome.Version));
            }
        }

        // Not null while a reservation with an expiry is held: the grain's next activation then registers its expiry
        // reminder (it trusts a stored "no reminder" only).
        state.ExpiryReminderAt = ledger.EarliestExpiry;

        // The history is of committed messages: everything they changed, and its alerts, went out with them.
        Publication.PublicationBook.MarkPublished(state, state.Version);
        return new RebuiltProduct(state, differences);
    }
}
