using StackExchange.Redis;

namespace InventoryOrleans.Runtime.Storage.Redis;

/// <summary>
/// Grain state in Redis: one hash per state (<c>grain:{grainType}:{stateName}:{key}</c>) with fields <c>etag</c> (an integer
/// that grows with every write or clear) and <c>data</c> (JSON). The ETag check and the write run in one Lua script, so they
/// are atomic on the server. A clear deletes <c>data</c> and keeps the ETag as a tombstone.
/// </summary>
public sealed class RedisGrainStorage(RedisGrainConnection connection) : IGrainStorage
{
    // Returns {1, newEtag} on success, {0, storedEtag-or-empty} on an ETag mismatch. ARGV[1] is '' for "no record expected".
    private const string WriteScript = """
        local stored = redis.call('HGET', KEYS[1], 'etag')
        if not stored then stored = '' end
        if stored ~= ARGV[1] then return {0, stored} end
        local etag = redis.call('HINCRBY', KEYS[1], 'etag', 1)
        redis.call('HSET', KEYS[1], 'data', ARGV[2])
        return {1, tostring(etag)}
        """;

    private const string ClearScript = """
        local stored = redis.call('HGET', KEYS[1], 'etag')
        if not stored then stored = '' end
        if stored ~= ARGV[1] then return {0, stored} end
        if stored == '' then return {1, ''} end
        local etag = redis.call('HINCRBY', KEYS[1], 'etag', 1)
        redis.call('HDEL', KEYS[1], 'data')
        return {1, tostring(etag)}
        """;

    private static readonly RedisValue[] Fields = ["etag", "data"];

    public async Task<GrainStateRecord> ReadAsync(string grainType, string key, string stateName, CancellationToken cancellationToken = default)
    {
        var values = await connection.RunAsync(db => db.HashGetAsync(StateKey(grainType, key, stateName), Fields), cancellationToken);
        if (values[0].IsNull)
        {
            return GrainStateRecord.None;
        }

        return new GrainStateRecord(values[1].IsNull ? null : (byte[]?)values[1], (string?)values[0]);
    }

    public async Task<string> WriteAsync(string grainType, string key, string stateName, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        var (ok, etag) = await RunAsync(WriteScript, grainType, key, stateName, expectedEtag, data.ToArray(), cancellationToken);
        return ok ? etag! : throw StaleEtag.Exception("Write", grainType, key, stateName, expectedEtag, etag);
    }

    public async Task<string?> ClearAsync(string grainType, string key, string stateName, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        var (ok, etag) = await RunAsync(ClearScript, grainType, key, stateName, expectedEtag, RedisValue.EmptyString, cancellationToken);
        return ok ? etag : throw StaleEtag.Exception("Clear", grainType, key, stateName, expectedEtag, etag);
    }

    private async Task<(bool Ok, string? Etag)> RunAsync(string script, string grainType, string key, string stateName, string? expectedEtag, RedisValue data, CancellationToken cancellationToken)
    {
        var result = await connection.RunAsync(
            db => db.ScriptEvaluateAsync(script, [StateKey(grainType, key, stateName)], [expectedEtag ?? string.Empty, data]),
            cancellationToken);
        var parts = (RedisResult[])result!;
        var etag = (string?)parts[1];
        return ((long)parts[0] == 1, string.IsNullOrEmpty(etag) ? null : etag);
    }

    private static RedisKey StateKey(string grainType, string key, string stateName) => $"grain:{grainType}:{stateName}:{key}";
}
