using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Tests;

/// <summary>
/// Calls over <see cref="IProductGrain.ApplyBatchAsync"/>, the grain's only write method, as the ingest pipeline makes
/// them when each of its transactions commits: every call comes in the next attempt of one epoch and reports the one
/// before it committed. Tests of what happens when an attempt does not commit pass their own tickets.
/// </summary>
internal static class ProductGrainExtensions
{
    // Shared by every test: attempts only grow, as they do for a partition's owner.
    private static long s_attempt;

    /// <summary>The next attempt of epoch 1 of partition 0, every earlier one committed.</summary>
    public static PublicationTicket NextTicket()
    {
        var attempt = Interlocked.Increment(ref s_attempt);
        return new PublicationTicket(0, 1, attempt - 1, attempt);
    }

    public static Task<BatchApplyResult> ApplyBatchAsync(this IProductGrain grain, IReadOnlyList<PositionedEvent> events) =>
        grain.ApplyBatchAsync(events, NextTicket());

    public static async Task<(EventOutcome Outcome, StockView Stock)> ApplyAsync(this IProductGrain grain, InventoryEvent inventoryEvent, EventPosition? position = null)
    {
        var result = await grain.ApplyBatchAsync([new PositionedEvent(inventoryEvent, position)]);
        return (Assert.Single(result.Outcomes), result.Stock);
    }
}
