using System.Text;
using InventoryOrleans.Api.Alerts;

namespace InventoryOrleans.Api.Tests.Alerts;

/// <summary>
/// <see cref="LowStockBook"/>: the low-stock board's fold of <c>inventory.alerts</c> keeps the products that are low
/// now and forgets the ones that recovered, so a host that reads years of alerts holds the low products only.
/// </summary>
public sealed class LowStockBookTests
{
    [Fact]
    public void Take_LowThenRecovered_ProductForgotten()
    {
        var book = new LowStockBook();
        book.Take(Alert("p-1", "Low", version: 2, available: 3));
        Assert.Equal(1, book.Count);

        book.Take(Alert("p-1", "Recovered", version: 5, available: 20));

        Assert.Equal(0, book.Count);
        Assert.Empty(book.Low);
    }

    [Fact]
    public void Take_ManyProductsCrossingDownAndUp_HoldsOnlyThoseLowNow()
    {
        var book = new LowStockBook();
        for (var i = 0; i < 10_000; i++)
        {
            book.Take(Alert($"p-{i}", "Low", version: 1, available: 1));
            book.Take(Alert($"p-{i}", "Recovered", version: 2, available: 50));
        }

        book.Take(Alert("p-7", "Low", version: 3, available: 4));

        Assert.Equal(1, book.Count);
        Assert.Equal(("p-7", 4L, 3L), (book.Low[0].ProductId, book.Low[0].Available, book.Low[0].Version));
    }

    [Fact]
    public void Take_RecoveredOfAProductNeverLow_KeepsNothing()
    {
        var book = new LowStockBook();

        book.Take(Alert("p-1", "Recovered", version: 4, available: 30));

        Assert.Equal(0, book.Count);
    }

    [Fact]
    public void Take_OlderRecoveredAfterANewerLow_StaysListed()
    {
        var book = new LowStockBook();
        book.Take(Alert("p-1", "Low", version: 6, available: 2));

        book.Take(Alert("p-1", "Recovered", version: 5, available: 20));

        Assert.Equal(6L, Assert.Single(book.Low).Version);
    }

    [Fact]
    public void Take_LowAgainWithANewerVersion_LatestEntryListed()
    {
        var book = new LowStockBook();
        book.Take(Alert("p-1", "Low", version: 2, available: 5));
        book.Take(Alert("p-1", "Low", version: 9, available: 1));
        book.Take(Alert("p-1", "Low", version: 4, available: 3));

        var entry = Assert.Single(book.Low);
        Assert.Equal((1L, 9L), (entry.Available, entry.Version));
    }

    [Fact]
    public void Low_SeveralProducts_ByProductId()
    {
        var book = new LowStockBook();
        foreach (var productId in new[] { "c", "a", "b" })
        {
            book.Take(Alert(productId, "Low", version: 1, available: 0));
        }

        Assert.Equal(["a", "b", "c"], book.Low.Select(e => e.ProductId));
    }

    private static byte[] Alert(string productId, string state, long version, long available) => Encoding.UTF8.GetBytes(
        $$"""{"productId":"{{productId}}","available":{{available}},"threshold":10,"state":"{{state}}","version":{{version}},"at":"2026-12-07T10:00:00.000Z"}""");
}
