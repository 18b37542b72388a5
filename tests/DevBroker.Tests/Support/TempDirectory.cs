namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>A fresh directory removed when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("devbroker-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open on a slow shutdown is left in /tmp.
        }
    }
}
