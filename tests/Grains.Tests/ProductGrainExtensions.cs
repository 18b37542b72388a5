using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Tests;

/// <summary>Single-event calls over <see cref="IProductGrain.ApplyBatchAsync"/>, the grain's only write method.</summary>
internal static class ProductGrainExtensions
{
    public static async Task<(EventOutcome Outcome, StockView Stock)> ApplyAsync(this IProductGrain grain, InventoryEvent inventoryEvent, EventPosition? position = null)
    {
        var result = await grain.ApplyBatchAsync([new PositionedEvent(inventoryEvent, position)]);
        return (Assert.Single(result.Outcomes), result.Stock);
    }
}
