namespace InventoryOrleans.Runtime;

/// <summary>A grain's durable state, loaded before <c>OnActivateAsync</c>; writes are fenced by <see cref="Etag"/>.</summary>
public interface IPersistentState<TState>
    where TState : new()
{
    /// <summary>The current state; a new <typeparamref name="TState"/> when nothing was stored.</summary>
    TState State { get; set; }

    /// <summary>Whether storage holds a record for this grain.</summary>
    bool RecordExists { get; }

    /// <summary>The version tag of the stored record this state was read from or last written as; null when none.</summary>
    string? Etag { get; }

    /// <summary>Reloads the state from storage.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes the state if storage still holds <see cref="Etag"/>; otherwise throws <see cref="InconsistentStateException"/>.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the stored record (ETag-checked) and resets <see cref="State"/>.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
