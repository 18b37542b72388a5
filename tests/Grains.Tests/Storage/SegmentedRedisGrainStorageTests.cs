using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Grains.Storage;
using Orleans.Storage;
using static InventoryOrleans.Grains.Tests.Product.TestEvents;

namespace InventoryOrleans.Grains.Tests.Storage;

/// <summary>The product storage provider against a real redis-server: layout, segments, ETag fencing, batched writes.</summary>
public sealed class SegmentedRedisGrainStorageTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string StateName = ProductGrain.StateName;
    private static readonly EventPosition Sales0 = new(Topics.Sales, 0, 0);

    // Every test writes under its own service id, so tests sharing the server never see each other's keys.
    private readonly string _serviceId = "storage-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task ReadStateAsync_NothingStored_NewStateWithoutETagOrRecord()
    {
        using var storage = await ConnectAsync();
        var state = new TestGrainState<ProductState>();

        await storage.ReadStateAsync(StateName, Id("missing"), state);

        Assert.NotNull(state.State);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.True(state.State.Window.IsComplete);
        Assert.Empty(state.State.Window);
        Assert.Equal(0, state.State.Version);
    }

    [Fact]
    public async Task WriteStateAsync_WindowWithSealedSegments_HeadAndSegmentsStoredApartAndReadBackEqual()
    {
        using var storage = await ConnectAsync();
        var id = Id("round-trip");
        var state = new TestGrainState<ProductState> { State = new ProductState { Window = new SeenEventWindow(segmentSize: 3) } };
        var ledger = new ProductLedger(ProductId, state.State, windowSize: 8);
        ApplyMixed(ledger, from: 1, to: 10);

        await storage.WriteStateAsync(StateName, id, state);
        var first = state.ETag;
        var hash = await HashAsync(id);
        var loaded = await ReadAsync(storage, id);

        AssertToken(first);
        Assert.Equal(first, hash["etag"]);
        Assert.True(state.RecordExists);
        Assert.True(Changes(state.State).IsEmpty);
        Assert.Equal(["data", "etag", "seg:0", "seg:1", "seg:2"], hash.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("\"e4\"", hash["seg:1"], StringComparison.Ordinal);
        Assert.DoesNotContain("\"e4\"", hash["data"], StringComparison.Ordinal);
        Assert.Equal((first, true), (loaded.ETag, loaded.RecordExists));
        Assert.Equal(Describe(state.State), Describe(loaded.State));
        Assert.Equal(8, loaded.State.Window.Count);

        // Four more: one segment sealed, the two oldest fully evicted and deleted, all in one write.
        ApplyMixed(ledger, from: 11, to: 14);
        await storage.WriteStateAsync(StateName, id, state);
        hash = await HashAsync(id);
        loaded = await ReadAsync(storage, id);

        AssertToken(state.ETag);
        Assert.NotEqual(first, state.ETag);
        Assert.Equal(state.ETag, hash["etag"]);
        Assert.Equal(["data", "etag", "seg:2", "seg:3"], hash.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Describe(state.State), Describe(loaded.State));
        Assert.Equal(Enumerable.Range(7, 8).Select(i => $"e{i}"), loaded.State.Window.Select(s => s.EventId));
    }

    [Fact]
    public async Task WriteStateAsync_PlainState_StoredAsJsonHeadWithoutSegments()
    {
        using var storage = await ConnectAsync();
        var id = Id("plain");
        var state = new TestGrainState<PlainState> { State = new PlainState { Count = 3, Note = "n" } };

        await storage.WriteStateAsync(StateName, id, state);
        var hash = await HashAsync(id);
        var loaded = new TestGrainState<PlainState>();
        await storage.ReadStateAsync(StateName, id, loaded);

        Assert.Equal(["data", "etag"], hash.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""{"count":3,"note":"n"}""", hash["data"]);
        Assert.Equal((3, "n", state.ETag), (loaded.State.Count, loaded.State.Note, loaded.ETag));
    }

    // The head is written into a pooled array through a writer reused on the thread: each stored head must be exactly
    // what the serializer writes for its own state, whatever was written before it — a larger head, a failed one.
    [Fact]
    public async Task WriteStateAsync_HeadsOfEverySizeOneAfterAnother_EachStoredAsTheSerializerWritesIt()
    {
        using var storage = await ConnectAsync();
        var sizes = new[] { 0, 300, 1, 40, 2 };
        for (var round = 0; round < sizes.Length; round++)
        {
            var id = Id($"head-size-{round}");
            var state = new TestGrainState<ProductState> { State = new ProductState { Version = round, LastEventId = $"e-{round}" } };
            for (var location = 0; location < sizes[round]; location++)
            {
                state.State.OnHand[$"location-{location:D4}"] = location;
            }

            if (round == 2)
            {
                // Serializing fails half-way (a property's getter throws): nothing is written, and the next head is whole.
                var failing = new TestGrainState<ThrowingState>();
                await Assert.ThrowsAsync<InvalidOperationException>(() => storage.WriteStateAsync(StateName, Id("head-throws"), failing));
            }

            await storage.WriteStateAsync(StateName, id, state);

            var stored = (await HashAsync(id))["data"];
            Assert.Equal(JsonSerializer.Serialize(state.State, ProductStateHeadConverter.StorageOptions), stored);
            Assert.Equal(sizes[round], (await ReadAsync(storage, id)).State.OnHand.Count);
        }

        Assert.True((await HashAsync(Id("head-size-1")))["data"].Length > 4_096);
        Assert.Empty(await HashAsync(Id("head-throws")));
    }

    [Fact]
    public async Task WriteStateAsync_StaleETag_ThrowsInconsistentStateAndChangesNothing()
    {
        using var storage = await ConnectAsync();
        var id = Id("stale-write");
        var owner = await ReadAsync(storage, id);
        var newcomer = await ReadAsync(storage, id);
        new ProductLedger(ProductId, owner.State, 10).Apply(Receipt("o1", 1), null, T0);
        await storage.WriteStateAsync(StateName, id, owner);
        var first = owner.ETag;
        var behind = await ReadAsync(storage, id);
        new ProductLedger(ProductId, owner.State, 10).Apply(Receipt("o2", 1), null, T0);
        await storage.WriteStateAsync(StateName, id, owner);
        var stored = await HashAsync(id);

        // The newcomer read before the first write (no ETag) and seals a segment; the other read before the second.
        newcomer.State = new ProductState { Window = new SeenEventWindow(segmentSize: 2) };
        var newcomerLedger = new ProductLedger(ProductId, newcomer.State, 10);
        newcomerLedger.Apply(Receipt("n1", 1), null, T0);
        newcomerLedger.Apply(Receipt("n2", 1), null, T0);
        new ProductLedger(ProductId, behind.State, 10).Apply(Receipt("b1", 1), null, T0);
        var newcomerError = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, id, newcomer));
        var behindError = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, id, behind));

        Assert.Equal((owner.ETag, ""), (newcomerError.StoredEtag, newcomerError.CurrentEtag));
        Assert.Equal((owner.ETag, first), (behindError.StoredEtag, behindError.CurrentEtag));
        Assert.Equal(stored, await HashAsync(id));
        Assert.Equal((null, first), (newcomer.ETag, behind.ETag));
        // Not acknowledged, so still to be written by whoever retries with this state.
        Assert.Equal([0L], Changes(newcomer.State).Added.Select(s => s.Id));
        Assert.Equal(["o1", "o2"], (await ReadAsync(storage, id)).State.Window.Select(s => s.EventId));
    }

    [Fact]
    public async Task ClearStateAsync_StaleETag_ThrowsInconsistentStateAndChangesNothing()
    {
        using var storage = await ConnectAsync();
        var id = Id("stale-clear");
        var owner = await ReadAsync(storage, id);
        await storage.WriteStateAsync(StateName, id, owner);
        var behind = await ReadAsync(storage, id);
        await storage.WriteStateAsync(StateName, id, owner);
        var stored = await HashAsync(id);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, id, behind));

        Assert.Equal((owner.ETag, behind.ETag), (error.StoredEtag, error.CurrentEtag));
        Assert.Equal(stored, await HashAsync(id));
        Assert.True(behind.RecordExists);
    }

    [Fact]
    public async Task WriteStateAsync_StorageWentBackAndANewWriterWroteAsOftenAsWasLost_StaleWriterRefused()
    {
        // The ABA of a counting ETag: storage goes back to an older copy (etag 1), a new activation writes twice on it
        // (2, 3), and an activation that wrote 2 and 3 before the loss holds 3 again — its write passed the check over
        // state it never read. With a fresh token per write it never meets its own ETag again.
        using var storage = await ConnectAsync();
        var id = Id("went-back");
        var stale = await ReadAsync(storage, id);
        var staleLedger = new ProductLedger(ProductId, stale.State, 10);
        staleLedger.Apply(Receipt("s1", 1), Sales0 with { Offset = 1 }, T0);
        await storage.WriteStateAsync(StateName, id, stale);
        var olderCopy = await HashAsync(id);
        var tokens = new List<string?> { stale.ETag };
        foreach (var offset in new[] { 2L, 3L })
        {
            staleLedger.Apply(Receipt($"s{offset}", 1), Sales0 with { Offset = offset }, T0);
            await storage.WriteStateAsync(StateName, id, stale);
            tokens.Add(stale.ETag);
        }

        await RestoreAsync(id, olderCopy);
        var newcomer = await ReadAsync(storage, id);
        var newcomerLedger = new ProductLedger(ProductId, newcomer.State, 10);
        foreach (var offset in new[] { 2L, 3L })
        {
            newcomerLedger.Apply(Receipt($"n{offset}", 10), Sales0 with { Offset = offset }, T0);
            await storage.WriteStateAsync(StateName, id, newcomer);
            tokens.Add(newcomer.ETag);
        }

        var stored = await HashAsync(id);
        staleLedger.Apply(Receipt("s4", 1), Sales0 with { Offset = 4 }, T0);
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, id, stale));

        Assert.Equal(5, tokens.Distinct().Count());
        Assert.Equal((newcomer.ETag, tokens[2]), (error.StoredEtag, error.CurrentEtag));
        Assert.Equal(stored, await HashAsync(id));
        Assert.Equal(["s1", "n2", "n3"], (await ReadAsync(storage, id)).State.Window.Select(s => s.EventId));
    }

    [Fact]
    public async Task ClearStateAsync_StorageWentBackAndANewWriterWroteAsOftenAsWasLost_StaleClearRefused()
    {
        using var storage = await ConnectAsync();
        var id = Id("went-back-clear");
        var stale = await ReadAsync(storage, id);
        await storage.WriteStateAsync(StateName, id, stale);
        var olderCopy = await HashAsync(id);
        await storage.WriteStateAsync(StateName, id, stale);

        await RestoreAsync(id, olderCopy);
        var newcomer = await ReadAsync(storage, id);
        new ProductLedger(ProductId, newcomer.State, 10).Apply(Receipt("n1", 1), Sales0 with { Offset = 1 }, T0);
        await storage.WriteStateAsync(StateName, id, newcomer);
        var stored = await HashAsync(id);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, id, stale));
        Assert.Equal(stored, await HashAsync(id));
    }

    [Fact]
    public async Task ClearStateAsync_CurrentETag_DeletesStateButKeepsFencingOlderWriters()
    {
        using var storage = await ConnectAsync();
        var id = Id("clear");
        var owner = await ReadAsync(storage, id);
        owner.State = new ProductState { Window = new SeenEventWindow(segmentSize: 2) };
        ApplyMixed(new ProductLedger(ProductId, owner.State, 10), from: 1, to: 5);
        await storage.WriteStateAsync(StateName, id, owner);
        var written = owner.ETag;
        var behind = await ReadAsync(storage, id);

        await storage.ClearStateAsync(StateName, id, owner);
        var afterClear = await ReadAsync(storage, id);
        var hash = await HashAsync(id);

        // The tombstone is a fresh token too, never the one of the write before it.
        AssertToken(owner.ETag);
        Assert.NotEqual(written, owner.ETag);
        Assert.False(owner.RecordExists);
        Assert.Empty(owner.State.Window);
        Assert.Equal(["etag"], hash.Keys);
        Assert.Equal((owner.ETag, false), (afterClear.ETag, afterClear.RecordExists));
        Assert.Equal(0, afterClear.State.Version);

        // The ETag stays as a tombstone: neither the pre-clear reader nor a writer that never read can write.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, id, behind));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, id, new TestGrainState<ProductState> { State = new ProductState() }));
        Assert.Equal(["etag"], (await HashAsync(id)).Keys);
        await storage.WriteStateAsync(StateName, id, afterClear);
        AssertToken(afterClear.ETag);
        Assert.NotEqual(owner.ETag, afterClear.ETag);
    }

    [Fact]
    public async Task ClearStateAsync_NothingStored_SucceedsWithoutTombstone()
    {
        using var storage = await ConnectAsync();
        var id = Id("clear-missing");
        var state = await ReadAsync(storage, id);

        await storage.ClearStateAsync(StateName, id, state);

        Assert.Null(state.ETag);
        Assert.Empty(await HashAsync(id));
    }

    [Fact]
    public async Task WriteStateAsync_ConcurrentWritesToManyKeysWithStaleWritersMixedIn_EachKeyJudgedByItsOwnETag()
    {
        const int Keys = 600;
        using var storage = await ConnectAsync();
        var states = new TestGrainState<ProductState>[Keys];
        var ledgers = new ProductLedger[Keys];
        for (var k = 0; k < Keys; k++)
        {
            // Two sealed segments stored per key, so each write below both adds one segment and deletes one.
            states[k] = new TestGrainState<ProductState> { State = new ProductState { Window = new SeenEventWindow(segmentSize: 2) } };
            ledgers[k] = new ProductLedger(ProductId, states[k].State, windowSize: 4);
            ApplyMixed(ledgers[k], from: 1, to: 4);
        }

        await Task.WhenAll(Enumerable.Range(0, Keys).Select(k => storage.WriteStateAsync(StateName, Id($"many-{k}"), states[k])));
        var firstETags = states.Select(s => s.ETag).ToArray();
        var isStale = new bool[Keys];
        for (var k = 0; k < Keys; k++)
        {
            ApplyMixed(ledgers[k], from: 5, to: 6);
            isStale[k] = k % 7 == 3;
            if (isStale[k])
            {
                states[k].ETag = "stale";
            }
        }

        var callsBefore = await redis.ScriptCallsAsync();
        var writes = Enumerable.Range(0, Keys).Select(async k =>
        {
            try
            {
                await storage.WriteStateAsync(StateName, Id($"many-{k}"), states[k]);
                return null;
            }
            catch (InconsistentStateException e)
            {
                return e;
            }
        }).ToList();
        var errors = await Task.WhenAll(writes);
        var calls = await redis.ScriptCallsAsync() - callsBefore;

        Assert.Equal(Enumerable.Range(0, Keys).Where(k => isStale[k]), Enumerable.Range(0, Keys).Where(k => errors[k] is not null));
        Assert.True(calls <= Keys / 4, $"{Keys} writes took {calls} script calls: concurrent writes should share calls");
        for (var k = 0; k < Keys; k++)
        {
            var id = Id($"many-{k}");
            var hash = await HashAsync(id);
            var window = (await ReadAsync(storage, id)).State.Window.Select(s => s.EventId);
            if (isStale[k])
            {
                Assert.Equal((firstETags[k], firstETags[k]), (errors[k]!.StoredEtag, hash["etag"]));
                Assert.Equal(["data", "etag", "seg:0", "seg:1"], hash.Keys.Order(StringComparer.Ordinal));
                Assert.Equal(["e1", "e2", "e3", "e4"], window);
            }
            else
            {
                Assert.Equal(states[k].ETag, hash["etag"]);
                Assert.NotEqual(firstETags[k], states[k].ETag);
                Assert.Equal(["data", "etag", "seg:1", "seg:2"], hash.Keys.Order(StringComparer.Ordinal));
                Assert.Equal(["e3", "e4", "e5", "e6"], window);
            }
        }
    }

    private Task<SegmentedRedisGrainStorage> ConnectAsync() => TestGrainStorage.ConnectAsync(redis.Server.ConnectionString, _serviceId);

    private static GrainId Id(string key) => ProductGrain.IdOf(key);

    private async Task<Dictionary<string, string>> HashAsync(GrainId id) =>
        (await redis.Raw.HashGetAllAsync(SegmentedRedisGrainStorage.KeyOf(_serviceId, id, StateName)))
            .ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);

    // Puts a copy of the hash taken earlier back in place of what is stored, as a restore of an older append-only file does.
    private async Task RestoreAsync(GrainId id, Dictionary<string, string> copy)
    {
        var key = SegmentedRedisGrainStorage.KeyOf(_serviceId, id, StateName);
        await redis.Raw.KeyDeleteAsync(key);
        await redis.Raw.HashSetAsync(key, [.. copy.Select(e => new StackExchange.Redis.HashEntry(e.Key, e.Value))]);
    }

    private static async Task<TestGrainState<ProductState>> ReadAsync(SegmentedRedisGrainStorage storage, GrainId id)
    {
        var state = new TestGrainState<ProductState>();
        await storage.ReadStateAsync(StateName, id, state);
        return state;
    }

    // A written ETag is 128 random bits in hex (see StateETag), never a count.
    private static void AssertToken(string? etag) => Assert.Matches("^[0-9a-f]{32}$", etag);

    private static StateSegmentChanges Changes(ProductState state) => ((ISegmentedState)state).GetUnsavedSegmentChanges();

    // Events e{from}..e{to} at Sales0: receipts at a few locations, every third one rejected.
    private static void ApplyMixed(ProductLedger ledger, int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            var e = i % 3 == 0 ? Release($"e{i}", "unknown") : Receipt($"e{i}", i, T0.AddMinutes(i), $"loc-{i % 2}");
            ledger.Apply(e, Sales0 with { Offset = i }, T0.AddMinutes(i));
        }
    }

    // The head as stored plus every window entry with every field: equal strings mean equal states.
    private static string Describe(ProductState state) =>
        JsonSerializer.Serialize(state, JsonOptions) + Environment.NewLine + string.Join(
            Environment.NewLine,
            state.Window.Select(s => $"{s.EventId} {s.Status} v{s.Version} {s.Reason} {s.Topic}/{s.Partition}@{s.Offset} {s.Location} {s.OccurredAtUtcTicks} {s.Delta}"));

    /// <summary>A state that is not segmented.</summary>
    public sealed class ThrowingState
    {
        public string Before { get; set; } = new('x', 5_000);

        public int After => throw new InvalidOperationException("a getter that fails half-way through the head");
    }

    public sealed class PlainState
    {
        public int Count { get; set; }

        public string? Note { get; set; }
    }
}
