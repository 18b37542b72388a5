using StackExchange.Redis;

namespace InventoryOrleans.Runtime.Storage.Redis;

/// <summary>Reminders in Redis: one sorted set per grain type (<c>reminders:{grainType}</c>), member = key, score = due time in Unix ms.</summary>
public sealed class RedisReminderTable(RedisGrainConnection connection) : IReminderTable
{
    public async Task UpsertAsync(string grainType, string key, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        await connection.RunAsync(db => db.SortedSetAddAsync(SetKey(grainType), key, dueAt.ToUnixTimeMilliseconds()), cancellationToken);
    }

    public async Task RemoveAsync(string grainType, string key, CancellationToken cancellationToken = default)
    {
        await connection.RunAsync(db => db.SortedSetRemoveAsync(SetKey(grainType), key), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> GetDueAsync(string grainType, DateTimeOffset now, int max, int skip = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);

        // A sorted set orders equal scores by member, so pages are stable while the set does not change.
        var members = await connection.RunAsync(
            db => db.SortedSetRangeByScoreAsync(SetKey(grainType), double.NegativeInfinity, now.ToUnixTimeMilliseconds(), Exclude.None, Order.Ascending, skip, max),
            cancellationToken);
        return Array.ConvertAll(members, m => (string)m!);
    }

    private static RedisKey SetKey(string grainType) => $"reminders:{grainType}";
}
