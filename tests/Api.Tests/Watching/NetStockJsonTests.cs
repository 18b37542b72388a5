using System.Text.Json;
using InventoryOrleans.Api.Watching;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Json;

namespace InventoryOrleans.Api.Tests.Watching;

/// <summary>The live change tail reads net-stock records back into the stock the pipeline wrote, JSON and Avro.</summary>
public sealed class NetStockJsonTests
{
    private static readonly StockView Stock = new(
        "sku-ü", 12, 3, 4, 9, 17, "e-17", new DateTimeOffset(2026, 12, 7, 10, 11, 12, TimeSpan.Zero).AddTicks(1234567),
        new Dictionary<string, long> { ["b"] = 5, ["a"] = 7 }, LowStock: true, LowStockThreshold: 10);

    [Fact]
    public void Read_RecordThePipelineWrites_WritingItAgainGivesTheSameBytes()
    {
        var record = RecordSerializer.NetStock(Stock);

        var read = NetStockJson.Read(record);

        Assert.Equal(record, RecordSerializer.NetStock(read));
        Assert.Equal(Stock.UpdatedAt, read.UpdatedAt);
        Assert.Equal(Stock.Locations.OrderBy(l => l.Key), read.Locations.OrderBy(l => l.Key));
    }

    [Fact]
    public void Read_NullLastEventIdAndUnknownFields_NullAndIgnored()
    {
        var record = """{"extra":{"x":[1,2]},"productId":"p","onHand":1,"reserved":0,"inTransit":0,"available":1,"version":2,"lastEventId":null,"updatedAt":"2026-12-07T10:00:00.0000000Z","locations":{"default":1},"lowStock":false,"lowStockThreshold":10}"""u8;

        var read = NetStockJson.Read(record);

        Assert.Null(read.LastEventId);
        Assert.Equal(2, read.Version);
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""{"onHand":1}""")]
    [InlineData("""{"productId":"p","onHand":""")]
    public void Read_NotANetStockRecord_JsonException(string record) =>
        Assert.ThrowsAny<JsonException>(() => NetStockJson.Read(System.Text.Encoding.UTF8.GetBytes(record)));

    [Fact]
    public void ToNetStock_AvroRecordThePipelineWrites_SameStockToTheMillisecond()
    {
        var read = AvroRecords.ToNetStock(AvroRecords.NetStock(Stock));

        Assert.Equal(Stock with { UpdatedAt = read.UpdatedAt, Locations = read.Locations }, read);
        Assert.Equal(Stock.UpdatedAt.ToUnixTimeMilliseconds(), read.UpdatedAt.ToUnixTimeMilliseconds());
        Assert.Equal(Stock.Locations.OrderBy(l => l.Key), read.Locations.OrderBy(l => l.Key));
    }
}
