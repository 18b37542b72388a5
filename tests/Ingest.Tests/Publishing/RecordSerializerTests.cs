using InventoryOrleans.Grains.Interfaces.Json;
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
    public void Outcome_ReadFromKafka_CarriesTopicPartitionAndOffsetOfTheMessageAsInTheContract()
    {
        var outcome = new EventOutcome("e1", "p1", OutcomeStatus.Applied, null, 3, "c-9", new EventPosition(Topics.Sales, 11, 4_294_967_296));

        using var document = JsonDocument.Parse(RecordSerializer.Outcome(outcome));
        var root = document.RootElement;

        // CONTRACTS.md "Outcome": exactly these fields, in this order.
        Assert.Equal(
            ["eventId", "productId", "status", "reason", "version", "correlationId", "topic", "partition", "offset"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("Applied", root.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("reason").ValueKind);
        Assert.Equal("c-9", root.GetProperty("correlationId").GetString());
        Assert.Equal(Topics.Sales, root.GetProperty("topic").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("partition").ValueKind);
        Assert.Equal(11, root.GetProperty("partition").GetInt32());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("offset").ValueKind);
        Assert.Equal(4_294_967_296, root.GetProperty("offset").GetInt64());
    }

    [Fact]
    public void Outcome_NotReadFromKafka_HasNullTopicPartitionAndOffset()
    {
        using var document = JsonDocument.Parse(RecordSerializer.Outcome(new EventOutcome("e1", "p1", OutcomeStatus.Duplicate, null, 2, null)));
        var root = document.RootElement;

        Assert.All(["topic", "partition", "offset"], name => Assert.Equal(JsonValueKind.Null, root.GetProperty(name).ValueKind));
    }

    [Fact]
    public void NetStock_WritesContractFieldsAndLocations()
    {
        var stock = new StockView("p1", 10, 3, 2, 7, 12, "e9", new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero),
            new Dictionary<string, long> { ["default"] = 4, ["store-1"] = 6 });

        using var document = JsonDocument.Parse(RecordSerializer.NetStock(stock));
        var root = document.RootElement;
        Assert.Equal(
            ["productId", "onHand", "reserved", "inTransit", "available", "version", "lastEventId", "updatedAt", "locations", "lowStock", "lowStockThreshold"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(7, root.GetProperty("available").GetInt64());
        Assert.Equal(6, root.GetProperty("locations").GetProperty("store-1").GetInt64());
        Assert.Equal(stock.UpdatedAt, root.GetProperty("updatedAt").GetDateTimeOffset());
    }

    [Fact]
    public void NetStock_LowStock_WritesFlagAndThreshold()
    {
        var stock = new StockView("p1", 3, 0, 0, 3, 1, "e1", DateTimeOffset.UnixEpoch, new Dictionary<string, long>(), LowStock: true, LowStockThreshold: 5);

        using var document = JsonDocument.Parse(RecordSerializer.NetStock(stock));

        Assert.True(document.RootElement.GetProperty("lowStock").GetBoolean());
        Assert.Equal(5, document.RootElement.GetProperty("lowStockThreshold").GetInt64());
    }

    [Fact]
    public void Alert_WritesContractFieldsInOrder()
    {
        var at = new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.FromHours(1));

        using var document = JsonDocument.Parse(RecordSerializer.Alert(new LowStockAlert("p1", 3, 5, LowStockState.Low, 7, at)));
        var root = document.RootElement;

        Assert.Equal(["productId", "available", "threshold", "state", "version", "at"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(("p1", 3L, 5L, "Low", 7L), (root.GetProperty("productId").GetString(), root.GetProperty("available").GetInt64(), root.GetProperty("threshold").GetInt64(), root.GetProperty("state").GetString(), root.GetProperty("version").GetInt64()));
        Assert.Equal("2026-01-31T11:00:00.0000000Z", root.GetProperty("at").GetString());
        Assert.Equal("Recovered", JsonDocument.Parse(RecordSerializer.Alert(new LowStockAlert("p1", 9, 5, LowStockState.Recovered, 8, at))).RootElement.GetProperty("state").GetString());
    }
}
