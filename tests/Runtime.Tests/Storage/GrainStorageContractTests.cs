using System.Text;

namespace InventoryOrleans.Runtime.Tests.Storage;

/// <summary>What every <see cref="IGrainStorage"/> and <see cref="IReminderTable"/> must do; one derived class per provider.</summary>
public abstract class GrainStorageContractTests
{
    private const string GrainType = "ContractGrain";
    private const string State = "state";

    protected abstract IGrainStorage Storage { get; }

    protected abstract IReminderTable Reminders { get; }

    private static string NewKey() => $"key-{Guid.NewGuid():N}";

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static StateSegment Segment(long id, string text) => new(id, Json(text));

    private static StateSegmentChanges Changes(StateSegment[] added, long[] dropped) => new(added, dropped);

    private static (long Id, string Text)[] Segments(GrainStateRecord record) =>
        record.Segments.Select(s => (s.Id, Encoding.UTF8.GetString(s.Data))).ToArray();

    [Fact]
    public async Task ReadAsync_Missing_ReturnsNoDataAndNoEtag()
    {
        var record = await Storage.ReadAsync(GrainType, NewKey(), State);

        Assert.Null(record.Data);
        Assert.Null(record.Etag);
        Assert.False(record.Exists);
    }

    [Fact]
    public async Task WriteAsync_ThenRead_RoundTripsDataAndEtag()
    {
        var key = NewKey();

        var first = await Storage.WriteAsync(GrainType, key, State, Json("""{"value":1}"""), null);
        var second = await Storage.WriteAsync(GrainType, key, State, Json("""{"value":2}"""), first);
        var record = await Storage.ReadAsync(GrainType, key, State);

        Assert.NotEqual(first, second);
        Assert.Equal(second, record.Etag);
        Assert.Equal("""{"value":2}""", Encoding.UTF8.GetString(record.Data!));
    }

    [Fact]
    public async Task WriteAsync_StaleEtag_ThrowsInconsistentStateAndKeepsStoredData()
    {
        var key = NewKey();
        var first = await Storage.WriteAsync(GrainType, key, State, Json("1"), null);
        var second = await Storage.WriteAsync(GrainType, key, State, Json("2"), first);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(GrainType, key, State, Json("3"), first));

        Assert.Equal(first, error.ExpectedEtag);
        Assert.Equal(second, error.StoredEtag);
        Assert.Equal("2", Encoding.UTF8.GetString((await Storage.ReadAsync(GrainType, key, State)).Data!));
    }

    [Fact]
    public async Task WriteAsync_NoEtagButRecordExists_ThrowsInconsistentState()
    {
        var key = NewKey();
        await Storage.WriteAsync(GrainType, key, State, Json("1"), null);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(GrainType, key, State, Json("2"), null));
    }

    [Fact]
    public async Task WriteAsync_EtagButRecordMissing_ThrowsInconsistentState()
    {
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(GrainType, NewKey(), State, Json("1"), "7"));

        Assert.Null(error.StoredEtag);
    }

    [Fact]
    public async Task WriteAsync_DifferentStateNamesAndTypes_AreIndependent()
    {
        var key = NewKey();
        await Storage.WriteAsync(GrainType, key, "a", Json("a"), null);
        await Storage.WriteAsync("OtherGrain", key, State, Json("other"), null);

        Assert.Null((await Storage.ReadAsync(GrainType, key, State)).Data);
        Assert.Equal("a", Encoding.UTF8.GetString((await Storage.ReadAsync(GrainType, key, "a")).Data!));
    }

    [Fact]
    public async Task ClearAsync_CurrentEtag_RemovesDataAndLeavesTombstoneThatFencesOldWriters()
    {
        var key = NewKey();
        var written = await Storage.WriteAsync(GrainType, key, State, Json("1"), null);

        var cleared = await Storage.ClearAsync(GrainType, key, State, written);
        var record = await Storage.ReadAsync(GrainType, key, State);

        Assert.Null(record.Data);
        Assert.Equal(cleared, record.Etag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(GrainType, key, State, Json("old"), written));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(GrainType, key, State, Json("none"), null));
        var rewritten = await Storage.WriteAsync(GrainType, key, State, Json("2"), cleared);
        Assert.Equal(rewritten, (await Storage.ReadAsync(GrainType, key, State)).Etag);
    }

    [Fact]
    public async Task ClearAsync_StaleEtag_ThrowsInconsistentStateAndKeepsData()
    {
        var key = NewKey();
        var first = await Storage.WriteAsync(GrainType, key, State, Json("1"), null);
        await Storage.WriteAsync(GrainType, key, State, Json("2"), first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(GrainType, key, State, first));

        Assert.Equal("2", Encoding.UTF8.GetString((await Storage.ReadAsync(GrainType, key, State)).Data!));
    }

    [Fact]
    public async Task ClearAsync_NothingStored_ReturnsNull()
    {
        Assert.Null(await Storage.ClearAsync(GrainType, NewKey(), State, null));
    }

    [Fact]
    public async Task WriteAsync_ConcurrentWritersWithSameEtag_ExactlyOneWins()
    {
        var key = NewKey();
        var etag = await Storage.WriteAsync(GrainType, key, State, Json("0"), null);

        var attempts = Enumerable.Range(1, 16).Select(i => Task.Run(async () =>
        {
            try
            {
                return await Storage.WriteAsync(GrainType, key, State, Json(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), etag);
            }
            catch (InconsistentStateException)
            {
                return null;
            }
        }));
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(winner, (await Storage.ReadAsync(GrainType, key, State)).Etag);
    }

    [Fact]
    public async Task WriteSegmentedAsync_BurstOverManyKeysWithSomeStale_EachKeyDecidedByItsOwnEtag()
    {
        // Hundreds of writes at once, as a Kafka batch's grains persist: every third one carries a stale ETag. Storage
        // may combine them on the wire (Redis does), but each must be decided alone: the stale ones change nothing.
        var keys = Enumerable.Range(0, 600).Select(_ => NewKey()).ToArray();
        var firsts = await Task.WhenAll(keys.Select(k => Storage.WriteSegmentedAsync(GrainType, k, State, Json("h1"), Changes([Segment(1, "one")], []), null)));
        var seconds = await Task.WhenAll(keys.Select((k, i) => Storage.WriteSegmentedAsync(GrainType, k, State, Json("h2"), Changes([Segment(2, "two")], [1]), firsts[i])));

        var attempts = await Task.WhenAll(keys.Select(async (k, i) =>
        {
            var stale = i % 3 == 0;
            try
            {
                return await Storage.WriteSegmentedAsync(GrainType, k, State, Json(stale ? "zombie" : "h3"), Changes([Segment(3, "three")], [2]), stale ? firsts[i] : seconds[i]);
            }
            catch (InconsistentStateException e) when (stale && e.StoredEtag == seconds[i])
            {
                return null;
            }
        }));

        for (var i = 0; i < keys.Length; i++)
        {
            var record = await Storage.ReadAsync(GrainType, keys[i], State);
            if (i % 3 == 0)
            {
                Assert.Null(attempts[i]);
                Assert.Equal(seconds[i], record.Etag);
                Assert.Equal("h2", Encoding.UTF8.GetString(record.Data!));
                Assert.Equal([(2L, "two")], Segments(record));
            }
            else
            {
                Assert.Equal(attempts[i], record.Etag);
                Assert.Equal("h3", Encoding.UTF8.GetString(record.Data!));
                Assert.Equal([(3L, "three")], Segments(record));
            }
        }
    }

    [Fact]
    public async Task WriteSegmentedAsync_AddsAndDropsSegments_ReadReassemblesHeadAndSegmentsInIdOrder()
    {
        var key = NewKey();
        var first = await Storage.WriteSegmentedAsync(GrainType, key, State, Json("h1"), Changes([Segment(2, "two"), Segment(1, "one"), Segment(10, "ten")], []), null);

        var second = await Storage.WriteSegmentedAsync(GrainType, key, State, Json("h2"), Changes([Segment(11, "eleven")], [1, 2, 99]), first);
        var record = await Storage.ReadAsync(GrainType, key, State);

        Assert.Equal(second, record.Etag);
        Assert.Equal("h2", Encoding.UTF8.GetString(record.Data!));
        Assert.Equal([(10L, "ten"), (11L, "eleven")], Segments(record));
    }

    [Fact]
    public async Task WriteSegmentedAsync_StaleEtag_ChangesNoPartOfTheState()
    {
        var key = NewKey();
        var first = await Storage.WriteSegmentedAsync(GrainType, key, State, Json("h1"), Changes([Segment(1, "one"), Segment(2, "two")], []), null);
        var second = await Storage.WriteSegmentedAsync(GrainType, key, State, Json("h2"), Changes([Segment(3, "three")], [1]), first);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteSegmentedAsync(GrainType, key, State, Json("zombie"), Changes([Segment(3, "zombie"), Segment(4, "zombie")], [2, 3]), first));

        Assert.Equal(second, error.StoredEtag);
        var record = await Storage.ReadAsync(GrainType, key, State);
        Assert.Equal(second, record.Etag);
        Assert.Equal("h2", Encoding.UTF8.GetString(record.Data!));
        Assert.Equal([(2L, "two"), (3L, "three")], Segments(record));
    }

    [Fact]
    public async Task WriteSegmentedAsync_NoEtagButRecordExists_AddsNoSegment()
    {
        var key = NewKey();
        await Storage.WriteAsync(GrainType, key, State, Json("1"), null);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteSegmentedAsync(GrainType, key, State, Json("2"), Changes([Segment(1, "one")], []), null));

        Assert.Empty((await Storage.ReadAsync(GrainType, key, State)).Segments);
    }

    [Fact]
    public async Task WriteSegmentedAsync_RetryCarryingStoredSegment_KeepsOneCopy()
    {
        var key = NewKey();
        var first = await Storage.WriteSegmentedAsync(GrainType, key, State, Json("h1"), Changes([Segment(1, "one")], []), null);

        await Storage.WriteSegmentedAsync(GrainType, key, State, Json("h2"), Changes([Segment(1, "one"), Segment(2, "two")], []), first);

        Assert.Equal([(1L, "one"), (2L, "two")], Segments(await Storage.ReadAsync(GrainType, key, State)));
    }

    [Fact]
    public async Task ClearAsync_SegmentedState_RemovesSegmentsToo()
    {
        var key = NewKey();
        var written = await Storage.WriteSegmentedAsync(GrainType, key, State, Json("h1"), Changes([Segment(1, "one")], []), null);

        var cleared = await Storage.ClearAsync(GrainType, key, State, written);
        await Storage.WriteSegmentedAsync(GrainType, key, State, Json("h2"), Changes([Segment(5, "five")], []), cleared);

        Assert.Equal([(5L, "five")], Segments(await Storage.ReadAsync(GrainType, key, State)));
    }

    [Fact]
    public async Task WriteAsync_PlainState_ReadsNoSegments()
    {
        var key = NewKey();
        await Storage.WriteAsync(GrainType, key, State, Json("1"), null);

        Assert.Empty((await Storage.ReadAsync(GrainType, key, State)).Segments);
    }

    [Fact]
    public async Task GetDueAsync_ReturnsDueKeysEarliestFirstUpToMax()
    {
        var type = $"Reminded{Guid.NewGuid():N}";
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        await Reminders.UpsertAsync(type, "late", now.AddMinutes(5));
        await Reminders.UpsertAsync(type, "second", now.AddMinutes(-1));
        await Reminders.UpsertAsync(type, "first", now.AddMinutes(-2));
        await Reminders.UpsertAsync(type, "exact", now);
        await Reminders.UpsertAsync("OtherType", "first", now.AddMinutes(-2));

        Assert.Equal(["first", "second", "exact"], await Reminders.GetDueAsync(type, now, 10));
        Assert.Equal(["first", "second"], await Reminders.GetDueAsync(type, now, 2));
    }

    [Fact]
    public async Task GetDueAsync_Skip_PagesThroughDueKeysInOrderWithTiesByKey()
    {
        var type = $"Reminded{Guid.NewGuid():N}";
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        await Reminders.UpsertAsync(type, "c", now.AddMinutes(-1));
        await Reminders.UpsertAsync(type, "a", now.AddMinutes(-1));
        await Reminders.UpsertAsync(type, "b", now.AddMinutes(-1));
        await Reminders.UpsertAsync(type, "z", now.AddMinutes(-3));
        await Reminders.UpsertAsync(type, "d", now);
        await Reminders.UpsertAsync(type, "late", now.AddMinutes(1));

        Assert.Equal(["z", "a"], await Reminders.GetDueAsync(type, now, 2, skip: 0));
        Assert.Equal(["b", "c"], await Reminders.GetDueAsync(type, now, 2, skip: 2));
        Assert.Equal(["d"], await Reminders.GetDueAsync(type, now, 2, skip: 4));
        Assert.Empty(await Reminders.GetDueAsync(type, now, 2, skip: 6));
    }

    [Fact]
    public async Task UpsertAsync_MovesDueTime_AndRemoveAsyncDeletes()
    {
        var type = $"Reminded{Guid.NewGuid():N}";
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        await Reminders.UpsertAsync(type, "a", now.AddMinutes(-1));
        await Reminders.UpsertAsync(type, "b", now.AddMinutes(-1));

        await Reminders.UpsertAsync(type, "a", now.AddMinutes(1));
        await Reminders.RemoveAsync(type, "b");
        await Reminders.RemoveAsync(type, "never-there");

        Assert.Empty(await Reminders.GetDueAsync(type, now, 10));
        Assert.Equal(["a"], await Reminders.GetDueAsync(type, now.AddMinutes(1), 10));
    }
}
