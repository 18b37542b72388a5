using System.Globalization;
using Microsoft.Data.Sqlite;

namespace InventoryOrleans.Runtime.Storage.Sqlite;

/// <summary>
/// Grain state in one SQLite file. The ETag is an integer that grows with every write or clear; the check is part of the
/// statement (<c>UPDATE … WHERE etag = @expected</c>, or an insert that does nothing when a row exists), so it is atomic.
/// A clear keeps the row as a tombstone with a new ETag.
/// </summary>
public sealed class SqliteGrainStorage(SqliteGrainDatabase database) : IGrainStorage
{
    public async Task<GrainStateRecord> ReadAsync(string grainType, string key, string stateName, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, data FROM grain_state WHERE grain_type = $type AND state_name = $name AND grain_key = $key";
        AddKey(command, grainType, key, stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return GrainStateRecord.None;
        }

        var etag = FormatEtag(reader.GetInt64(0));
        var data = reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1);
        return new GrainStateRecord(data, etag);
    }

    public async Task<string> WriteAsync(string grainType, string key, string stateName, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        AddKey(command, grainType, key, stateName);
        command.Parameters.AddWithValue("$data", data.ToArray());
        if (expectedEtag is null)
        {
            command.CommandText = """
                INSERT INTO grain_state (grain_type, state_name, grain_key, etag, data) VALUES ($type, $name, $key, 1, $data)
                ON CONFLICT DO NOTHING RETURNING etag
                """;
        }
        else
        {
            command.CommandText = """
                UPDATE grain_state SET etag = etag + 1, data = $data
                WHERE grain_type = $type AND state_name = $name AND grain_key = $key AND etag = $expected RETURNING etag
                """;
            command.Parameters.AddWithValue("$expected", ParseEtag(expectedEtag));
        }

        var result = await command.ExecuteScalarAsync(cancellationToken);
        if (result is long etag)
        {
            return FormatEtag(etag);
        }

        throw StaleEtag.Exception("Write", grainType, key, stateName, expectedEtag, await ReadEtagAsync(connection, grainType, key, stateName, cancellationToken));
    }

    public async Task<string?> ClearAsync(string grainType, string key, string stateName, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (expectedEtag is null)
        {
            // Nothing was ever stored as far as the caller knows: fine if that is still true.
            var stored = await ReadEtagAsync(connection, grainType, key, stateName, cancellationToken);
            return stored is null ? null : throw StaleEtag.Exception("Clear", grainType, key, stateName, expectedEtag, stored);
        }

        await using var command = connection.CreateCommand();
        AddKey(command, grainType, key, stateName);
        command.CommandText = """
            UPDATE grain_state SET etag = etag + 1, data = NULL
            WHERE grain_type = $type AND state_name = $name AND grain_key = $key AND etag = $expected RETURNING etag
            """;
        command.Parameters.AddWithValue("$expected", ParseEtag(expectedEtag));
        var result = await command.ExecuteScalarAsync(cancellationToken);
        if (result is long etag)
        {
            return FormatEtag(etag);
        }

        throw StaleEtag.Exception("Clear", grainType, key, stateName, expectedEtag, await ReadEtagAsync(connection, grainType, key, stateName, cancellationToken));
    }

    private static async Task<string?> ReadEtagAsync(SqliteConnection connection, string grainType, string key, string stateName, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag FROM grain_state WHERE grain_type = $type AND state_name = $name AND grain_key = $key";
        AddKey(command, grainType, key, stateName);
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is long etag ? FormatEtag(etag) : null;
    }

    private static void AddKey(SqliteCommand command, string grainType, string key, string stateName)
    {
        command.Parameters.AddWithValue("$type", grainType);
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$key", key);
    }

    private static string FormatEtag(long etag) => etag.ToString(CultureInfo.InvariantCulture);

    // An ETag this provider did not issue can never match: -1 is never stored.
    private static long ParseEtag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;
}
