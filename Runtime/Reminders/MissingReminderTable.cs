namespace InventoryOrleans.Runtime;

/// <summary>Stands in when no storage provider registered a reminder table, so the failure says what to register.</summary>
internal sealed class MissingReminderTable : IReminderTable
{
    public Task UpsertAsync(string grainType, string key, DateTimeOffset dueAt, CancellationToken cancellationToken = default) => throw Missing();

    public Task RemoveAsync(string grainType, string key, CancellationToken cancellationToken = default) => throw Missing();

    public Task<IReadOnlyList<string>> GetDueAsync(string grainType, DateTimeOffset now, int max, int skip = 0, CancellationToken cancellationToken = default) => throw Missing();

    private static InvalidOperationException Missing() =>
        new("No reminder table is registered; call services.AddSqliteGrainStorage(path) or services.AddRedisGrainStorage(connectionString).");
}
