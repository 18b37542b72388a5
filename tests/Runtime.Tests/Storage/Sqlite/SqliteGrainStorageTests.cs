using InventoryOrleans.Runtime.Storage.Sqlite;

namespace InventoryOrleans.Runtime.Tests.Storage.Sqlite;

/// <summary>The storage contract against a SQLite file of its own.</summary>
public sealed class SqliteGrainStorageTests : GrainStorageContractTests, IDisposable
{
    private readonly TempSqliteFile _file = new();
    private readonly SqliteGrainDatabase _database;

    public SqliteGrainStorageTests()
    {
        _database = new SqliteGrainDatabase(_file.Path);
        Storage = new SqliteGrainStorage(_database);
        Reminders = new SqliteReminderTable(_database);
    }

    protected override IGrainStorage Storage { get; }

    protected override IReminderTable Reminders { get; }

    [Fact]
    public async Task OpenAsync_NewFile_UsesWriteAheadLog()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    public void Dispose() => _file.Dispose();
}
