using InventoryOrleans.Runtime;

namespace InventoryOrleans.Grains.Tests;

/// <summary>
/// Wraps the real storage provider: counts writes, and fails them on demand (a storage outage) so the tests can watch
/// what the grain does with state that never reached storage.
/// </summary>
internal sealed class FaultyGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private int _writes;

    public int Writes => Volatile.Read(ref _writes);

    public bool FailWrites { get; set; }

    /// <summary>Bytes the last write attempt carried (head plus added segments).</summary>
    public int LastWriteBytes { get; private set; }

    public Task<GrainStateRecord> ReadAsync(string grainType, string key, string stateName, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(grainType, key, stateName, cancellationToken);

    public Task<string> WriteAsync(string grainType, string key, string stateName, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        if (FailWrites)
        {
            throw new IOException("Simulated storage outage.");
        }

        Interlocked.Increment(ref _writes);
        return inner.WriteAsync(grainType, key, stateName, data, expectedEtag, cancellationToken);
    }

    public Task<string> WriteSegmentedAsync(string grainType, string key, string stateName, ReadOnlyMemory<byte> head, StateSegmentChanges segments, string? expectedEtag, CancellationToken cancellationToken = default)
    {
        if (FailWrites)
        {
            throw new IOException("Simulated storage outage.");
        }

        Interlocked.Increment(ref _writes);
        LastWriteBytes = head.Length + segments.Added.Sum(s => s.Data.Length);
        return inner.WriteSegmentedAsync(grainType, key, stateName, head, segments, expectedEtag, cancellationToken);
    }

    public Task<string?> ClearAsync(string grainType, string key, string stateName, string? expectedEtag, CancellationToken cancellationToken = default) =>
        inner.ClearAsync(grainType, key, stateName, expectedEtag, cancellationToken);
}
