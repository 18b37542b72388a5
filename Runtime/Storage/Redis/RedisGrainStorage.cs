using System.Globalization;
using System.Runtime.InteropServices;
using StackExchange.Redis;

namespace InventoryOrleans.Runtime.Storage.Redis;

/// <summary>
/// Grain state in Redis: one hash per state (<c>grain:{grainType}:{stateName}:{key}</c>) with fields <c>etag</c> (an integer
/// that grows with every write or clear), <c>data</c> (JSON) and, for a segmented state, one field <c>seg:{id}</c> per segment.
/// The ETag check and every change of a write run in one Lua script, so they are atomic on the server; concurrent writes
/// share one script call (<see cref="RedisWriteBatcher"/>), each still checked against its own ETag. Every key of a call
/// must be served by one node: a plain Redis server (or a primary with replicas), not Redis Cluster.
/// A clear deletes everything but the ETag, which stays as a tombstone.
/// </summary>
public sealed class RedisGrainStorage(RedisGrainConnection connection) : IGrainStorage
{
    // Up to 128 keys or 1 MiB of state per script call, at most 4 calls on the wire at once: large enough to take the
    // per-command cost off thousands of writes per Kafka batch, small enough that one call never blocks Redis long.
    private readonly RedisWriteBatcher _writes = new(connection, maxKeys: 128, maxBytes: 1 << 20, maxInFlight: 4);

    private const string ClearScript = """
        local stored = redis.call('HGET', KEYS[1], 'etag')
        if not stored then stored = '' end
        if stored ~= ARGV[1] then return {0, stored} end
        if stored == '' then return {1, ''} end
        local etag = redis.call('HINCRBY', KEYS[1], 'etag', 1)
        for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
            if field ~= 'etag' then redis.call('HDEL', KEYS[1], field) end
        end
        return {1, tostring(etag)}
        """;

    private const string SegmentPrefix = "seg:";

    public async Task<GrainStateRecord> ReadAsync(string grainType, string key, string stateName, CancellationToken cancellationToken = default)
    {
        // One HGETALL: head and segments come from the same moment, as a write changes them in one script.
        var entries = await connection.RunAsync(db => db.HashGetAllAsync(StateKey(grainType, key, stateName)), cancellationToken);
        string? etag = null;
        byte[]? data = null;
        List<StateSegment>? segments = null;
        foreach (var entry in entries)
        {
            var name = (string)entry.Name!;
            if (name == "etag")
            {
                etag = (string?)entry.Value;
            }
            else if (name == "data")
            {
                data = (byte[]?)entry.Value;
            }
            else if (name.StartsWith(SegmentPrefix, StringComparison.Ordinal)
                && long.TryParse(name.AsSpan(SegmentPrefix.Length), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            {
                (segments ??= []).Add(new StateSegment(id, (byte[])entry.Value!));
            }
        }

        if (etag is null)
        {
            return GrainStateRecord.None;
        }

        segments?.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return new GrainStateRecord(data, etag) { Segments = segments ?? [] };
    }

    public async Task<string> WriteAsync(string grainType, string key, string stateName, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default) =>
        await WriteSegmentedAsync(grainType, key, stateName, data, StateSegmentChanges.None, expectedEtag, cancellationToken);

    public async Task<string> WriteSegmentedAsync(string grainType, string key, string stateName, ReadOnlyMemory<byte> head, StateSegmentChanges segments, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segments);
        cancellationToken.ThrowIfCancellationRequested();
        var args = new RedisValue[4 + (2 * segments.Added.Count) + segments.Dropped.Count];
        args[0] = expectedEtag ?? string.Empty;
        // The serializer hands over a whole array: pass it on rather than copy a head of several kilobytes per write.
        args[1] = MemoryMarshal.TryGetArray(head, out var whole) && whole.Offset == 0 && whole.Count == whole.Array!.Length
            ? whole.Array
            : head.ToArray();
        args[2] = segments.Added.Count;
        args[3] = segments.Dropped.Count;
        long bytes = head.Length;
        var i = 4;
        foreach (var segment in segments.Added)
        {
            args[i++] = segment.Id;
            args[i++] = segment.Data;
            bytes += segment.Data.Length;
        }

        foreach (var id in segments.Dropped)
        {
            args[i++] = id;
        }

        var (ok, etag) = await _writes.WriteAsync(StateKey(grainType, key, stateName), args, bytes);
        return ok ? etag! : throw StaleEtag.Exception("Write", grainType, key, stateName, expectedEtag, etag);
    }

    public async Task<string?> ClearAsync(string grainType, string key, string stateName, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        var (ok, etag) = await RunAsync(ClearScript, grainType, key, stateName, [expectedEtag ?? string.Empty], cancellationToken);
        return ok ? etag : throw StaleEtag.Exception("Clear", grainType, key, stateName, expectedEtag, etag);
    }

    private async Task<(bool Ok, string? Etag)> RunAsync(string script, string grainType, string key, string stateName, RedisValue[] args, CancellationToken cancellationToken)
    {
        var result = await connection.RunAsync(
            db => db.ScriptEvaluateAsync(script, [StateKey(grainType, key, stateName)], args),
            cancellationToken);
        var parts = (RedisResult[])result!;
        var etag = (string?)parts[1];
        return ((long)parts[0] == 1, string.IsNullOrEmpty(etag) ? null : etag);
    }

    private static RedisKey StateKey(string grainType, string key, string stateName) => $"grain:{grainType}:{stateName}:{key}";
}
