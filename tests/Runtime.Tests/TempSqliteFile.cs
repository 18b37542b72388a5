namespace InventoryOrleans.Runtime.Tests;

/// <summary>A fresh SQLite database path under the temp folder, removed (best effort) afterwards.</summary>
internal sealed class TempSqliteFile : IDisposable
{
    public TempSqliteFile()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "inventory-runtime-tests", $"{Guid.NewGuid():N}.db");
    }

    public string Path { get; }

    public void Dispose()
    {
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            try
            {
                File.Delete(Path + suffix);
            }
            catch (IOException)
            {
                // Still open in the connection pool; the temp folder is cleaned by the OS.
            }
        }
    }
}
