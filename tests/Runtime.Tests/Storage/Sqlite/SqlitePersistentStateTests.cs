using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Runtime.Tests.Storage.Sqlite;

/// <summary>Persistent state through the runtime on one SQLite file shared by the test's silos.</summary>
public sealed class SqlitePersistentStateTests : PersistentStateTests, IDisposable
{
    private readonly TempSqliteFile _file = new();

    protected override void AddStorage(IServiceCollection services) => services.AddSqliteGrainStorage(_file.Path);

    public void Dispose() => _file.Dispose();
}
