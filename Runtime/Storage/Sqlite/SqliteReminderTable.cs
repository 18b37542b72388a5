namespace InventoryOrleans.Runtime.Storage.Sqlite;

/// <summary>Reminders in the grain database's <c>grain_reminder</c> table, indexed by (grain type, due time).</summary>
public sealed class SqliteReminderTable(SqliteGrainDatabase database) : IReminderTable
{
    public async Task UpsertAsync(string grainType, string key, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO grain_reminder (grain_type, grain_key, due_ms) VALUES ($type, $key, $due)
            ON CONFLICT (grain_type, grain_key) DO UPDATE SET due_ms = excluded.due_ms
            """;
        command.Parameters.AddWithValue("$type", grainType);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$due", dueAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RemoveAsync(string grainType, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM grain_reminder WHERE grain_type = $type AND grain_key = $key";
        command.Parameters.AddWithValue("$type", grainType);
        command.Parameters.AddWithValue("$key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> GetDueAsync(string grainType, DateTimeOffset now, int max, int skip = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_key FROM grain_reminder WHERE grain_type = $type AND due_ms <= $now ORDER BY due_ms, grain_key LIMIT $max OFFSET $skip";
        command.Parameters.AddWithValue("$type", grainType);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$max", max);
        command.Parameters.AddWithValue("$skip", skip);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
