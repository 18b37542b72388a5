using System.Globalization;
using Microsoft.Data.Sqlite;

namespace InventoryOrleans.Runtime.Storage.Sqlite;

/// <summary>
/// Grain state in one SQLite file. The ETag is an integer that grows with every write or clear; the check is part of the
/// statement (<c>UPDATE … WHERE etag = @expected</c>, or an insert that does nothing when a row exists), and the segment
/// inserts and deletes of a segmented write run in the same transaction, so a write is atomic and a stale one changes nothing.
/// A clear keeps the row as a tombstone with a new ETag.
/// </summary>
public sealed class SqliteGrainStorage(SqliteGrainDatabase database) : IGrainStorage
{
    private const string KeyFilter = "grain_type = $type AND state_name = $name AND grain_key = $key";

    public async Task<GrainStateRecord> ReadAsync(string grainType, string key, string stateName, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);

        // One read transaction: head and segments come from the same snapshot, even while a writer commits.
        await using var transaction = connection.BeginTransaction(deferred: true);
        GrainStateRecord record;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT etag, data FROM grain_state WHERE {KeyFilter}";
            AddKey(command, grainType, key, stateName);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return GrainStateRecord.None;
            }

            record = new GrainStateRecord(reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1), FormatEtag(reader.GetInt64(0)));
        }

        if (record.Data is null)
        {
            return record;
        }

        var segments = new List<StateSegment>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT segment_id, data FROM grain_state_segment WHERE {KeyFilter} ORDER BY segment_id";
            AddKey(command, grainType, key, stateName);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                segments.Add(new StateSegment(reader.GetInt64(0), (byte[])reader.GetValue(1)));
            }
        }

        return segments.Count == 0 ? record : record with { Segments = segments };
    }

    public Task<string> WriteAsync(string grainType, string key, string stateName, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default) =>
        WriteSegmentedAsync(grainType, key, stateName, data, StateSegmentChanges.None, expectedEtag, cancellationToken);

    public async Task<string> WriteSegmentedAsync(string grainType, string key, string stateName, ReadOnlyMemory<byte> head, StateSegmentChanges segments, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segments);
        await using var connection = await database.OpenAsync(cancellationToken);

        // BEGIN IMMEDIATE: take the write lock up front, so the check and the segment changes cannot interleave with another writer.
        await using var transaction = segments.IsEmpty ? null : connection.BeginTransaction(deferred: false);
        long? written;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            AddKey(command, grainType, key, stateName);
            command.Parameters.AddWithValue("$data", head.ToArray());
            if (expectedEtag is null)
            {
                command.CommandText = """
                    INSERT INTO grain_state (grain_type, state_name, grain_key, etag, data) VALUES ($type, $name, $key, 1, $data)
                    ON CONFLICT DO NOTHING RETURNING etag
                    """;
            }
            else
            {
                command.CommandText = $"UPDATE grain_state SET etag = etag + 1, data = $data WHERE {KeyFilter} AND etag = $expected RETURNING etag";
                command.Parameters.AddWithValue("$expected", ParseEtag(expectedEtag));
            }

            written = await command.ExecuteScalarAsync(cancellationToken) as long?;
        }

        if (written is not { } etag)
        {
            var stored = await ReadEtagAsync(connection, transaction, grainType, key, stateName, cancellationToken);
            throw StaleEtag.Exception("Write", grainType, key, stateName, expectedEtag, stored);
        }

        if (transaction is not null)
        {
            await ApplySegmentChangesAsync(connection, transaction, grainType, key, stateName, segments, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return FormatEtag(etag);
    }

    public async Task<string?> ClearAsync(string grainType, string key, string stateName, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (expectedEtag is null)
        {
            // Nothing was ever stored as far as the caller knows: fine if that is still true.
            var stored = await ReadEtagAsync(connection, null, grainType, key, stateName, cancellationToken);
            return stored is null ? null : throw StaleEtag.Exception("Clear", grainType, key, stateName, expectedEtag, stored);
        }

        await using var transaction = connection.BeginTransaction(deferred: false);
        long? cleared;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            AddKey(command, grainType, key, stateName);
            command.CommandText = $"UPDATE grain_state SET etag = etag + 1, data = NULL WHERE {KeyFilter} AND etag = $expected RETURNING etag";
            command.Parameters.AddWithValue("$expected", ParseEtag(expectedEtag));
            cleared = await command.ExecuteScalarAsync(cancellationToken) as long?;
        }

        if (cleared is not { } etag)
        {
            throw StaleEtag.Exception("Clear", grainType, key, stateName, expectedEtag, await ReadEtagAsync(connection, transaction, grainType, key, stateName, cancellationToken));
        }

        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            AddKey(command, grainType, key, stateName);
            command.CommandText = $"DELETE FROM grain_state_segment WHERE {KeyFilter}";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return FormatEtag(etag);
    }

    private static async Task ApplySegmentChangesAsync(SqliteConnection connection, SqliteTransaction transaction, string grainType, string key, string stateName, StateSegmentChanges segments, CancellationToken cancellationToken)
    {
        if (segments.Added.Count > 0)
        {
            // A retried write may carry a segment the first attempt already stored: segments are immutable, so replacing is harmless.
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT OR REPLACE INTO grain_state_segment (grain_type, state_name, grain_key, segment_id, data) VALUES ($type, $name, $key, $id, $data)
                """;
            AddKey(insert, grainType, key, stateName);
            var id = insert.Parameters.Add("$id", SqliteType.Integer);
            var data = insert.Parameters.Add("$data", SqliteType.Blob);
            foreach (var segment in segments.Added)
            {
                id.Value = segment.Id;
                data.Value = segment.Data;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        if (segments.Dropped.Count > 0)
        {
            await using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = $"DELETE FROM grain_state_segment WHERE {KeyFilter} AND segment_id = $id";
            AddKey(delete, grainType, key, stateName);
            var id = delete.Parameters.Add("$id", SqliteType.Integer);
            foreach (var dropped in segments.Dropped)
            {
                id.Value = dropped;
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static async Task<string?> ReadEtagAsync(SqliteConnection connection, SqliteTransaction? transaction, string grainType, string key, string stateName, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT etag FROM grain_state WHERE {KeyFilter}";
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
