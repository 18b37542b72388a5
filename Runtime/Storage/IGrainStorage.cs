namespace InventoryOrleans.Runtime;

/// <summary>
/// Durable grain state, fenced by ETags (optimistic concurrency). Implementations check the ETag and write in one
/// atomic step on the server, and surface infrastructure failures as exceptions, never as silent loss.
/// </summary>
public interface IGrainStorage
{
    /// <summary>Reads a grain's state record; <see cref="GrainStateRecord.None"/> when nothing was ever stored.</summary>
    Task<GrainStateRecord> ReadAsync(string grainType, string key, string stateName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="data"/> if storage still holds <paramref name="expectedEtag"/> (null: no record yet) and returns the new ETag.
    /// </summary>
    /// <exception cref="InconsistentStateException">Storage holds a different ETag: another writer got there first.</exception>
    Task<string> WriteAsync(string grainType, string key, string stateName, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="WriteAsync"/> for a segmented state (<see cref="ISegmentedState"/>): stores <paramref name="head"/>, adds
    /// <paramref name="segments"/>' new segments and deletes its dropped ones, all or nothing, and only if storage still holds
    /// <paramref name="expectedEtag"/>. A stale writer changes no part of the state, segments included.
    /// </summary>
    /// <exception cref="InconsistentStateException">Storage holds a different ETag: another writer got there first.</exception>
    Task<string> WriteSegmentedAsync(string grainType, string key, string stateName, ReadOnlyMemory<byte> head, StateSegmentChanges segments, string? expectedEtag, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the stored data (and segments) if storage still holds <paramref name="expectedEtag"/>, and returns the ETag of the cleared record
    /// (a tombstone, so a writer that read the record before it was cleared still fails its check); null when there was nothing to clear.
    /// </summary>
    /// <exception cref="InconsistentStateException">Storage holds a different ETag.</exception>
    Task<string?> ClearAsync(string grainType, string key, string stateName, string? expectedEtag, CancellationToken cancellationToken = default);
}
