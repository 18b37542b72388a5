using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Publishing;

namespace InventoryOrleans.Ingest.Tests.Publishing;

public sealed class RecordSerializerTests
{
    [Fact]
    public void Outcome_WritesContractFieldsInCamelCase()
    {
        var json = RecordSerializer.Outcome(new EventOutcome("e1", "p1", OutcomeStatus.Rejected, RejectionReasons.InsufficientStock, 7, null));

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("e1", root.GetProperty("eventId").GetString());
        Assert.Equal("p1", root.GetProperty("productId").GetString());
        Assert.Equal("Rejected", root.GetProperty("status").GetString());
        Assert.Equal("InsufficientStock", root.GetProperty("reason").GetString());
        Assert.Equal(7, root.GetProperty("version").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("correlationId").ValueKind);
    }

    [Fact]
    public void NetStock_WritesContractFieldsAndLocations()
    {
        var stock = new StockView("p1", 10, 3, 2, 7, 12, "e9", new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero),
            new Dictionary<string, long> { ["default"] = 4, ["store-1"] = 6 });

        using var document = JsonDocument.Parse(RecordSerializer.NetStock(stock));
        var root = document.RootElement;
        Assert.Equal(
            ["productId", "onHand", "reserved", "inTransit", "available", "version", "lastEventId", "updatedAt", "locations"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(7, root.GetProperty("available").GetInt64());
        Assert.Equal(6, root.GetProperty("locations").GetProperty("store-1").GetInt64());
        Assert.Equal(stock.UpdatedAt, root.GetProperty("updatedAt").GetDateTimeOffset());
    }
}
