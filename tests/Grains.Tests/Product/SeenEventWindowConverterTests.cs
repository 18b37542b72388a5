using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

public sealed class SeenEventWindowConverterTests
{
    [Fact]
    public void Write_MixedOpenEntries_CompactHeadThatReadsBackEqual()
    {
        var state = new ProductState();
        state.Window.Enqueue(new SeenEvent { EventId = "e1", Status = OutcomeStatus.Applied, Location = "dc", OccurredAtUtcTicks = 638_000_000_000_000_000, Delta = -3 });
        state.Window.Enqueue(new SeenEvent { EventId = "e\"2", Status = OutcomeStatus.Rejected });

        var json = JsonSerializer.Serialize(state, JsonOptions);
        var back = JsonSerializer.Deserialize<ProductState>(json, JsonOptions)!;

        Assert.Contains("\"window\":{\"segmentSize\":128,\"firstSegment\":0,\"nextSegment\":0,\"evicted\":0,\"open\":[[\"e1\",0,\"dc\",638000000000000000,-3],[\"e\\u00222\",2]]}", json, StringComparison.Ordinal);
        Assert.True(back.Window.IsComplete);
        Assert.Equal(
            state.Window.Select(s => (s.EventId, s.Status, s.Location, s.OccurredAtUtcTicks, s.Delta)),
            back.Window.Select(s => (s.EventId, s.Status, s.Location, s.OccurredAtUtcTicks, s.Delta)));
    }

    [Fact]
    public void Write_SealedSegments_LeavesThemOutOfTheHead()
    {
        var state = new ProductState { Window = new SeenEventWindow(segmentSize: 2) };
        for (var i = 1; i <= 5; i++)
        {
            state.Window.Enqueue(new SeenEvent { EventId = $"e{i}", Status = OutcomeStatus.Applied });
        }

        state.Window.Dequeue();

        var json = JsonSerializer.Serialize(state, JsonOptions);

        Assert.Contains("\"window\":{\"segmentSize\":2,\"firstSegment\":0,\"nextSegment\":2,\"evicted\":1,\"open\":[[\"e5\",0]]}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LegacyArrayWindow_LoadsWholeWindowAsUnsavedSegments()
    {
        var entries = string.Join(',', Enumerable.Range(1, 300).Select(i => $"[\"e{i}\",0]"));

        var back = JsonSerializer.Deserialize<ProductState>($$"""{"window":[{{entries}}]}""", JsonOptions)!;

        Assert.Equal(Enumerable.Range(1, 300).Select(i => $"e{i}"), back.Window.Select(s => s.EventId));
        Assert.Equal([0L, 1L], back.Window.GetUnsavedChanges().Added.Select(s => s.Id));
    }

    [Fact]
    public void Read_EmptyLegacyWindow_EmptyWindow()
    {
        var back = JsonSerializer.Deserialize<ProductState>("""{"window":[]}""", JsonOptions)!;

        Assert.Empty(back.Window);
    }

    [Theory]
    [InlineData("""{"window":[["e1"]]}""")]
    [InlineData("""{"window":[["e1",0,"dc",1]]}""")]
    [InlineData("""{"window":[{"id":"e1"}]}""")]
    [InlineData("""{"window":"e1"}""")]
    [InlineData("""{"window":{"segmentSize":2,"open":[["e1",0],["e2",0]]}}""")]
    [InlineData("""{"window":{"firstSegment":3,"nextSegment":1}}""")]
    [InlineData("""{"window":{"evicted":1}}""")]
    public void Read_MalformedWindow_ThrowsJsonExceptionSayingMalformed(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ProductState>(json, JsonOptions));

        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }
}
