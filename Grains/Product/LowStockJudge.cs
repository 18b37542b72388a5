using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// Judges one product against its low-stock threshold after each new version: a product whose side of the threshold
/// changed raises one alert, kept in <see cref="ProductState.RecentAlerts"/> until published.
/// </summary>
internal sealed class LowStockJudge(string productId, ProductState state, long defaultThreshold)
{
    // Alerts raised since the last TakeAlerts, in version order.
    private List<LowStockAlert>? _raised;

    /// <summary>The threshold in force: the product's own, else the default.</summary>
    public long Threshold => state.LowStockThreshold ?? defaultThreshold;

    public void Judge()
    {
        var threshold = Threshold;
        state.ThresholdInForce = threshold;
        var available = TotalOnHand() - state.Reserved;
        var low = available <= threshold;
        if (low == state.LowStock)
        {
            return;
        }

        state.LowStock = low;
        var alert = new LowStockAlert(productId, available, threshold, low ? LowStockState.Low : LowStockState.Recovered, state.Version, state.UpdatedAt);
        state.RecentAlerts.Add(alert);
        (_raised ??= []).Add(alert);
    }

    /// <summary>The alerts raised since the last call, in version order.</summary>
    public IReadOnlyList<LowStockAlert> TakeAlerts()
    {
        var raised = _raised ?? (IReadOnlyList<LowStockAlert>)[];
        _raised = null;
        return raised;
    }

    private long TotalOnHand()
    {
        var total = 0L;
        foreach (var onHand in state.OnHand.Values)
        {
            total += onHand;
        }

        return total;
    }
}
