using Microsoft.Data.Sqlite;

namespace InventoryOrleans.Runtime.Storage.Sqlite;

/// <summary>
/// One SQLite file shared by grain state (heads in <c>grain_state</c>, segments of segmented states in <c>grain_state_segment</c>) and reminders: creates the schema once (WAL mode) and hands out pooled
/// connections, one per operation, so many activations can use it concurrently.
/// </summary>
public sealed class SqliteGrainDatabase
{
    private readonly string _connectionString;
    private readonly Lazy<Task> _schema;

    public SqliteGrainDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Default Timeout is also how long Microsoft.Data.Sqlite retries a busy database before failing.
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Path = path;
        _schema = new Lazy<Task>(CreateSchemaAsync);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>An open connection; the caller disposes it (back to the pool).</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _schema.Value.WaitAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = await OpenRawAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS grain_state (
                grain_type TEXT NOT NULL,
                state_name TEXT NOT NULL,
                grain_key  TEXT NOT NULL,
                etag       INTEGER NOT NULL,
                data       BLOB NULL,
                PRIMARY KEY (grain_type, state_name, grain_key)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS grain_state_segment (
                grain_type TEXT NOT NULL,
                state_name TEXT NOT NULL,
                grain_key  TEXT NOT NULL,
                segment_id INTEGER NOT NULL,
                data       BLOB NOT NULL,
                PRIMARY KEY (grain_type, state_name, grain_key, segment_id)
            );
            CREATE TABLE IF NOT EXISTS grain_reminder (
                grain_type TEXT NOT NULL,
                grain_key  TEXT NOT NULL,
                due_ms     INTEGER NOT NULL,
                PRIMARY KEY (grain_type, grain_key)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS grain_reminder_due ON grain_reminder (grain_type, due_ms);
            """;
        await command.ExecuteNonQueryAsync();
    }
}
