namespace InventoryOrleans.Runtime;

/// <summary>
/// A durable index of when each grain next wants attention (for example its earliest reservation expiry), kept in the
/// same store as grain state, so the owner can wake an idle or deactivated grain on time, even after a restart.
/// One entry per (grain type, key); the host decides which due keys it owns and calls them.
/// </summary>
public interface IReminderTable
{
    /// <summary>Sets (or moves) the grain's due time.</summary>
    Task UpsertAsync(string grainType, string key, DateTimeOffset dueAt, CancellationToken cancellationToken = default);

    /// <summary>Removes the grain's entry; no error when absent.</summary>
    Task RemoveAsync(string grainType, string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keys of <paramref name="grainType"/> due at or before <paramref name="now"/>, earliest first (ties by key), at most
    /// <paramref name="max"/>, after skipping the first <paramref name="skip"/>: hosts that own only some keys page
    /// past the ones other hosts own.
    /// </summary>
    Task<IReadOnlyList<string>> GetDueAsync(string grainType, DateTimeOffset now, int max, int skip = 0, CancellationToken cancellationToken = default);
}
