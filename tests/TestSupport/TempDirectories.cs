namespace InventoryOrleans.TestSupport;

/// <summary>Fresh temporary directories for the processes a test starts, removed together when it ends.</summary>
public sealed class TempDirectories : IDisposable
{
    private readonly List<string> _paths = [];

    /// <summary>A new empty directory under the system's temporary folder, its name starting with <paramref name="prefix"/>.</summary>
    public string New(string prefix)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        lock (_paths)
        {
            _paths.Add(path);
        }

        return path;
    }

    public void Dispose()
    {
        lock (_paths)
        {
            foreach (var path in _paths)
            {
                try
                {
                    Directory.Delete(path, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort: a file still open by a process that is slow to exit stays in /tmp.
                }
            }

            _paths.Clear();
        }
    }
}
