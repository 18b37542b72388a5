using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Storage;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Product;

public sealed class SeenEventWindowTests
{
    [Fact]
    public void Enqueue_FillsSegment_SealsItAsOneUnsavedSegmentAndKeepsFifoOrder()
    {
        var window = Window(segmentSize: 3, count: 7);

        var changes = window.GetUnsavedChanges();

        Assert.Equal([0L, 1L], changes.Added.Select(s => s.Id));
        Assert.Empty(changes.Dropped);
        Assert.Equal(Ids(1, 7), window.Select(s => s.EventId));
        Assert.Equal(["e7"], window.OpenEntries.Select(s => s.EventId));
    }

    [Fact]
    public void MarkSaved_ThenMoreChanges_ReportsOnlyTheNewOnes()
    {
        var window = Window(segmentSize: 2, count: 4);
        window.MarkSaved(window.GetUnsavedChanges());

        window.Enqueue(Seen(5));
        window.Enqueue(Seen(6));
        window.Dequeue();
        window.Dequeue();

        var changes = window.GetUnsavedChanges();
        Assert.Equal([2L], changes.Added.Select(s => s.Id));
        Assert.Equal([0L], changes.Dropped);
    }

    [Fact]
    public void Dequeue_PartOfSavedSegment_EvictsByOffsetWithoutRewritingIt()
    {
        var window = Window(segmentSize: 4, count: 8);
        window.MarkSaved(window.GetUnsavedChanges());

        Assert.Equal("e1", window.Dequeue().EventId);

        Assert.True(window.GetUnsavedChanges().IsEmpty);
        Assert.Equal(1, window.EvictedFromFirstSegment);
        Assert.Equal(Ids(2, 8), window.Select(s => s.EventId));
        Assert.Equal(7, window.Count);
    }

    [Fact]
    public void Dequeue_SegmentSealedAndEvictedBeforeSave_NeverReachesStorage()
    {
        var window = Window(segmentSize: 2, count: 2);

        window.Dequeue();
        window.Dequeue();

        Assert.True(window.GetUnsavedChanges().IsEmpty);
        Assert.Empty(window);
    }

    [Fact]
    public void Restore_HeadAndStoredSegments_ReassemblesTheWindowExactly()
    {
        var window = Window(segmentSize: 3, count: 11);
        window.Dequeue();
        window.Dequeue();
        window.Dequeue();
        window.Dequeue();

        var loaded = Reload(window, window.GetUnsavedChanges().Added);

        Assert.Equal(Ids(5, 11), loaded.Select(s => s.EventId));
        Assert.Equal(7, loaded.Count);
        Assert.Equal(1, loaded.EvictedFromFirstSegment);
        Assert.Equal("e5", loaded.Dequeue().EventId);
        Assert.Equal("e6", loaded.Dequeue().EventId);
        Assert.Equal([1L], loaded.GetUnsavedChanges().Dropped);
    }

    [Fact]
    public void Restore_SegmentMissing_ThrowsSayingIncomplete()
    {
        var window = Window(segmentSize: 2, count: 6);
        var stored = window.GetUnsavedChanges().Added.Where(s => s.Id != 1).ToList();

        var error = Assert.Throws<InvalidOperationException>(() => Reload(window, stored));

        Assert.Contains("incomplete", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_LeftOverSegments_AreDroppedWithTheNextWrite()
    {
        var window = Window(segmentSize: 2, count: 4);
        var stored = window.GetUnsavedChanges().Added.Append(new StateSegment(7, "[]"u8.ToArray())).ToList();

        var loaded = Reload(window, stored);

        Assert.Equal([7L], loaded.GetUnsavedChanges().Dropped);
        Assert.Equal(Ids(1, 4), loaded.Select(s => s.EventId));
    }

    [Fact]
    public void Restore_SealedSegmentsWithEveryField_EachEntryReadsBackEqual()
    {
        SeenEvent[] entries =
        [
            new() { EventId = "e1", Status = OutcomeStatus.Applied, Version = 1, Topic = Topics.Sales, Partition = 11, Offset = long.MaxValue, Location = "dc", OccurredAtUtcTicks = 638_000_000_000_000_001, Delta = -4 },
            new() { EventId = "e2", Status = OutcomeStatus.Rejected, Version = 1, Reason = RejectionReasons.ExceedsReservation, Topic = Topics.Events, Partition = 0, Offset = 0 },
            new() { EventId = "e1", Status = OutcomeStatus.Duplicate, Version = 1, Topic = Topics.Snapshots, Partition = 3, Offset = 12 },
            new() { EventId = "é \"3\"", Status = OutcomeStatus.Applied, Version = 2, Location = "", OccurredAtUtcTicks = 0, Delta = long.MinValue },
            new() { EventId = "e5", Status = OutcomeStatus.Rejected, Version = 2, Reason = RejectionReasons.StaleSnapshot },
        ];
        var window = new SeenEventWindow(segmentSize: 2);
        foreach (var entry in entries)
        {
            window.Enqueue(entry);
        }

        var loaded = Reload(window, window.GetUnsavedChanges().Added);

        Assert.Equal(entries.Select(Fields), loaded.Select(Fields));
        Assert.Equal(["e5"], loaded.OpenEntries.Select(s => s.EventId));
    }

    [Fact]
    public void Restore_SealedSegments_EntriesShareOneCopyOfEachTopicAndLocation()
    {
        var window = new SeenEventWindow(segmentSize: 2);
        for (var i = 1; i <= 4; i++)
        {
            // Each entry with its own copy, as decoding and deserializing make them.
            window.Enqueue(new SeenEvent { EventId = $"e{i}", Status = OutcomeStatus.Applied, Topic = new string(Topics.Sales), Partition = 1, Offset = i, Location = new string("dc-1"), Delta = 1 });
        }

        var loaded = Reload(window, window.GetUnsavedChanges().Added).ToList();

        Assert.All(loaded, s => Assert.Same(loaded[0].Topic, s.Topic));
        Assert.All(loaded, s => Assert.Same(loaded[0].Location, s.Location));
        Assert.Equal(Topics.Sales, loaded[0].Topic);
    }

    [Fact]
    public void MarkSaved_SealedSegment_AMoveStillCarriesItAsStored()
    {
        var window = Window(segmentSize: 2, count: 5);
        var saved = window.GetUnsavedChanges();
        window.MarkSaved(saved);

        // The saved segments' encodings are forgotten; moving the window encodes them again, byte for byte.
        var moved = window.SealedSegments();

        Assert.Equal(saved.Added.Select(s => (s.Id, Convert.ToHexString(s.Data))), moved.Select(s => (s.Id, Convert.ToHexString(s.Data))));
        Assert.Equal(Ids(1, 5), Reload(window, moved).Select(s => s.EventId));
    }

    [Theory]
    [InlineData("""[["e1",0]]""")]
    [InlineData("""[["e1",0,1,null,null,0,0,"dc"]]""")]
    [InlineData("""[["e1",0,1,null,null,0,0,"dc",1,2,3]]""")]
    [InlineData("""[["e1",0,1,null,null,"0",0]]""")]
    [InlineData("""{"entries":[]}""")]
    [InlineData("""[["e1",7,1,null,null,0,0]]""")]
    [InlineData("""[["e1",-1,1,null,null,0,0]]""")]
    [InlineData("""[["e1",0,1,null,null,99999999999,0]]""")]
    [InlineData("""[["e1",0,1.5,null,null,0,0]]""")]
    [InlineData("""[["e1",0,1,null,null,0,1e30]]""")]
    public void Restore_MalformedSegment_ThrowsJsonExceptionSayingMalformed(string segment)
    {
        var window = Window(segmentSize: 2, count: 3);
        var stored = new[] { new StateSegment(0, System.Text.Encoding.UTF8.GetBytes(segment)) };

        var error = Assert.Throws<JsonException>(() => Reload(window, stored));

        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_TruncatedSegment_ThrowsJsonException()
    {
        var window = Window(segmentSize: 2, count: 3);
        var stored = new[] { new StateSegment(0, """[["e1",0,1,nu"""u8.ToArray()) };

        Assert.ThrowsAny<JsonException>(() => Reload(window, stored));
    }

    [Fact]
    public void Head_FullDefaultWindow_StaysSmall()
    {
        var ledger = NewLedger();
        for (var i = 0; i < 10_000; i++)
        {
            ledger.Apply(Receipt($"event-{i:D8}-{Guid.NewGuid():N}", 1), null, T0);
        }

        var head = JsonSerializer.SerializeToUtf8Bytes(ledger.State, JsonOptions);

        Assert.True(head.Length < 16 * 1024, $"the head is {head.Length} bytes");
        Assert.Equal(10_000, ledger.State.Window.Count);
    }

    [Fact]
    public void Apply_StateReadAsHeadOnly_ThrowsInsteadOfDecidingAgainstPartOfTheWindow()
    {
        var state = new ProductState { Window = Window(segmentSize: 2, count: 5) };
        var headOnly = JsonSerializer.Deserialize<ProductState>(JsonSerializer.SerializeToUtf8Bytes(state, JsonOptions), JsonOptions)!;
        var ledger = new ProductLedger(ProductId, headOnly, 10_000);

        Assert.False(headOnly.Window.IsComplete);
        Assert.Throws<InvalidOperationException>(() => ledger.Apply(Receipt("e1", 1), null, T0));
    }

    private static SeenEventWindow Reload(SeenEventWindow window, IReadOnlyList<StateSegment> stored)
    {
        var state = new ProductState { Window = window };
        var loaded = JsonSerializer.Deserialize<ProductState>(JsonSerializer.SerializeToUtf8Bytes(state, JsonOptions), JsonOptions)!;
        ((ISegmentedState)loaded).RestoreSegments(stored);
        return loaded.Window;
    }

    private static SeenEventWindow Window(int segmentSize, int count)
    {
        var window = new SeenEventWindow(segmentSize);
        for (var i = 1; i <= count; i++)
        {
            window.Enqueue(Seen(i));
        }

        return window;
    }

    private static (string, OutcomeStatus, long, string?, string?, int, long, string?, long, long) Fields(SeenEvent s) =>
        (s.EventId, s.Status, s.Version, s.Reason, s.Topic, s.Partition, s.Offset, s.Location, s.OccurredAtUtcTicks, s.Delta);

    private static SeenEvent Seen(int i) => new() { EventId = $"e{i}", Status = OutcomeStatus.Applied };

    private static string[] Ids(int from, int to) => Enumerable.Range(from, to - from + 1).Select(i => $"e{i}").ToArray();
}
