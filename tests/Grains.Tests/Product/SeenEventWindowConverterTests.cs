using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

public sealed class SeenEventWindowConverterTests
{
    [Fact]
    public void Write_MixedEntries_CompactArraysThatReadBackEqual()
    {
        var state = new ProductState();
        state.Window.Enqueue(new SeenEvent { EventId = "e1", Status = OutcomeStatus.Applied, Location = "dc", OccurredAtUtcTicks = 638_000_000_000_000_000, Delta = -3 });
        state.Window.Enqueue(new SeenEvent { EventId = "e\"2", Status = OutcomeStatus.Rejected });

        var json = JsonSerializer.Serialize(state, JsonOptions);
        var back = JsonSerializer.Deserialize<ProductState>(json, JsonOptions)!;

        Assert.Contains("\"window\":[[\"e1\",0,\"dc\",638000000000000000,-3],[\"e\\u00222\",2]]", json, StringComparison.Ordinal);
        Assert.Equal(
            state.Window.Select(s => (s.EventId, s.Status, s.Location, s.OccurredAtUtcTicks, s.Delta)),
            back.Window.Select(s => (s.EventId, s.Status, s.Location, s.OccurredAtUtcTicks, s.Delta)));
    }

    [Fact]
    public void Read_EmptyWindow_EmptyQueue()
    {
        var back = JsonSerializer.Deserialize<ProductState>("""{"window":[]}""", JsonOptions)!;

        Assert.Empty(back.Window);
    }

    [Theory]
    [InlineData("""{"window":[["e1"]]}""")]
    [InlineData("""{"window":[["e1",0,"dc",1]]}""")]
    [InlineData("""{"window":[{"id":"e1"}]}""")]
    [InlineData("""{"window":"e1"}""")]
    public void Read_MalformedWindow_ThrowsJsonExceptionSayingMalformed(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ProductState>(json, JsonOptions));

        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }
}
