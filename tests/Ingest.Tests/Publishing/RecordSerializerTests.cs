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

        // docs/CONTRACTS.md "Outcome": exactly these fields, in this order.
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

    [Fact]
    public void NetStock_ManyLocations_InOrdinalOrderWithTheContractTimestamp()
    {
        var stock = new StockView("p1", 6, 0, 0, 6, 3, "e3", new DateTimeOffset(2026, 12, 7, 8, 9, 10, TimeSpan.FromHours(-2)).AddTicks(1234567),
            new Dictionary<string, long> { ["store-2"] = 1, ["Default"] = 2, ["default"] = 3 });

        using var document = JsonDocument.Parse(RecordSerializer.NetStock(stock));

        Assert.Equal(["Default", "default", "store-2"], document.RootElement.GetProperty("locations").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("2026-12-07T10:09:10.1234567Z", document.RootElement.GetProperty("updatedAt").GetString());
    }

    // The writer and buffer are reused per thread: each record is whole and alone, also right after one that failed.
    [Fact]
    public void Records_WrittenBackToBackOnOneThread_EachIsOneCompleteObject()
    {
        var outcome = new EventOutcome("e1", "p1", OutcomeStatus.Applied, null, 1, null);
        var first = RecordSerializer.Outcome(outcome);
        var stock = new StockView("p1", 1, 0, 0, 1, 1, "e1", DateTimeOffset.UnixEpoch, new Dictionary<string, long> { ["default"] = 1 });
        var second = RecordSerializer.NetStock(stock);

        // A record that fails half-way through its object (here its locations cannot be read).
        Assert.Throws<InvalidOperationException>(() => RecordSerializer.NetStock(stock with { Locations = new UnreadableLocations() }));
        var third = RecordSerializer.Outcome(outcome with { EventId = "e2" });

        Assert.Equal("e1", JsonDocument.Parse(first).RootElement.GetProperty("eventId").GetString());
        Assert.Equal(1, JsonDocument.Parse(second).RootElement.GetProperty("locations").GetProperty("default").GetInt64());
        Assert.Equal("e2", JsonDocument.Parse(third).RootElement.GetProperty("eventId").GetString());
        Assert.Equal(first.Length, third.Length);
    }

    private sealed class UnreadableLocations : IReadOnlyDictionary<string, long>
    {
        public long this[string key] => throw new InvalidOperationException("unreadable");

        public IEnumerable<string> Keys => throw new InvalidOperationException("unreadable");

        public IEnumerable<long> Values => throw new InvalidOperationException("unreadable");

        public int Count => 1;

        public bool ContainsKey(string key) => throw new InvalidOperationException("unreadable");

        public bool TryGetValue(string key, out long value) => throw new InvalidOperationException("unreadable");

        public IEnumerator<KeyValuePair<string, long>> GetEnumerator() => throw new InvalidOperationException("unreadable");

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
