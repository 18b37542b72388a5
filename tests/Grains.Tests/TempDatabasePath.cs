namespace InventoryOrleans.Grains.Tests;

/// <summary>A fresh SQLite file path under the temp folder, removed (best effort) afterwards.</summary>
internal sealed class TempDatabasePath : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "inventory-grains-tests", $"{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(Path + suffix);
            }
            catch (IOException)
            {
                // Still held by the connection pool; the OS cleans the temp folder.
            }
        }
    }
}
