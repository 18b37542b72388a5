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
        state.Window.Enqueue(new SeenEvent
        {
            EventId = "e1", Status = OutcomeStatus.Applied, Version = 3, Topic = Topics.Sales, Partition = 2, Offset = 41,
            Location = "dc", OccurredAtUtcTicks = 638_000_000_000_000_000, Delta = -3,
        });
        state.Window.Enqueue(new SeenEvent { EventId = "e\"2", Status = OutcomeStatus.Rejected, Version = 3, Reason = RejectionReasons.InsufficientStock });
        state.Window.Enqueue(new SeenEvent { EventId = "e1", Status = OutcomeStatus.Duplicate, Version = 4, Topic = Topics.Events, Partition = 0, Offset = 7 });

        var json = JsonSerializer.Serialize(state, JsonOptions);
        var back = JsonSerializer.Deserialize<ProductState>(json, JsonOptions)!;

        Assert.Contains(
            """
            "window":{"segmentSize":32,"firstSegment":0,"nextSegment":0,"evicted":0,"open":[["e1",0,3,null,"inventory.sales",2,41,"dc",638000000000000000,-3],["e\u00222",2,3,"InsufficientStock",null,0,0],["e1",1,4,null,"inventory.events",0,7]]}
            """,
            json,
            StringComparison.Ordinal);
        Assert.True(back.Window.IsComplete);
        Assert.Equal(state.Window.Select(Fields), back.Window.Select(Fields));
    }

    [Fact]
    public void Write_SealedSegments_LeavesThemOutOfTheHead()
    {
        var state = new ProductState { Window = new SeenEventWindow(segmentSize: 2) };
        for (var i = 1; i <= 5; i++)
        {
            state.Window.Enqueue(new SeenEvent { EventId = $"e{i}", Status = OutcomeStatus.Applied, Version = i });
        }

        state.Window.Dequeue();

        var json = JsonSerializer.Serialize(state, JsonOptions);

        Assert.Contains("""
            "window":{"segmentSize":2,"firstSegment":0,"nextSegment":2,"evicted":1,"open":[["e5",0,5,null,null,0,0]]}
            """, json, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownWindowProperty_Skipped()
    {
        var back = JsonSerializer.Deserialize<ProductState>("""{"window":{"future":{"a":[1]},"open":[["e1",0,1,null,null,0,0]]}}""", JsonOptions)!;

        Assert.Equal(["e1"], back.Window.Select(s => s.EventId));
    }

    [Theory]
    // The legacy array window (before entries carried version and position) is no longer read.
    [InlineData("""{"window":[]}""")]
    [InlineData("""{"window":[["e1",0]]}""")]
    // Entries in the legacy short form inside the new head.
    [InlineData("""{"window":{"open":[["e1",0]]}}""")]
    [InlineData("""{"window":{"open":[["e1",0,"dc",1,-1]]}}""")]
    // A location without its event time and delta, a status or version of the wrong type, an entry that is no array.
    [InlineData("""{"window":{"open":[["e1",0,1,null,null,0,0,"dc",1]]}}""")]
    [InlineData("""{"window":{"open":[["e1","Applied",1,null,null,0,0]]}}""")]
    [InlineData("""{"window":{"open":[["e1",0,"1",null,null,0,0]]}}""")]
    [InlineData("""{"window":{"open":[["e1",0,1,7,null,0,0]]}}""")]
    [InlineData("""{"window":{"open":[{"eventId":"e1"}]}}""")]
    [InlineData("""{"window":"e1"}""")]
    // Heads that contradict themselves.
    [InlineData("""{"window":{"segmentSize":2,"open":[["e1",0,1,null,null,0,0],["e2",0,2,null,null,0,0]]}}""")]
    [InlineData("""{"window":{"firstSegment":3,"nextSegment":1}}""")]
    [InlineData("""{"window":{"evicted":1}}""")]
    // Numbers out of range or not integers.
    [InlineData("""{"window":{"segmentSize":99999999999}}""")]
    [InlineData("""{"window":{"evicted":1.5}}""")]
    [InlineData("""{"window":{"open":[["e1",3,1,null,null,0,0]]}}""")]
    public void Read_MalformedWindow_ThrowsJsonExceptionSayingMalformed(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ProductState>(json, JsonOptions));

        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    private static (string, OutcomeStatus, long, string?, string?, int, long, string?, long, long) Fields(SeenEvent s) =>
        (s.EventId, s.Status, s.Version, s.Reason, s.Topic, s.Partition, s.Offset, s.Location, s.OccurredAtUtcTicks, s.Delta);
}
