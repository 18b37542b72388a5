using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Decisions;

/// <summary>
/// The stock after each of a product's last few versions, in memory: a wait that reaches the grain after its message
/// was decided and the product changed again still answers the stock right after that decision. The wait is made right
/// after the post, so it is at most a batch or two late; older versions fall back to the current stock.
/// </summary>
internal sealed class RecentStocks
{
    /// <summary>How many versions are kept: a few hundred bytes each, per active product.</summary>
    public const int Capacity = 4;

    private readonly StockView?[] _ring = new StockView?[Capacity];
    private int _next;

    /// <summary>Records the stock of a new version (versions only grow while an activation lives).</summary>
    public void Record(StockView stock)
    {
        _ring[_next] = stock;
        _next = (_next + 1) % Capacity;
    }

    /// <summary>The stock right after <paramref name="version"/>, or null when it is not among the last few.</summary>
    public StockView? At(long version) => Array.Find(_ring, s => s?.Version == version);

    /// <summary>Forgets everything: the activation reloads its state from storage.</summary>
    public void Clear()
    {
        Array.Clear(_ring);
        _next = 0;
    }
}
