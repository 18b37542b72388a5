namespace InventoryOrleans.Runtime;

/// <summary>The runtime's <see cref="IPersistentState{TState}"/>: JSON over an <see cref="IGrainStorage"/>, every write fenced by the ETag last seen; an <see cref="ISegmentedState"/> is written as head plus segment changes.</summary>
internal sealed class PersistentState<TState>(IGrainStorage storage, GrainStateSerializer serializer, string grainType, string key, string stateName)
    : IPersistentState<TState>, IPersistentStateLoader
    where TState : new()
{
    public TState State { get; set; } = new();

    public bool RecordExists { get; private set; }

    public string? Etag { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var record = await storage.ReadAsync(grainType, key, stateName, cancellationToken);
        State = serializer.Deserialize<TState>(record);
        RecordExists = record.Exists;
        Etag = record.Etag;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var data = serializer.Serialize(State);
        if (State is ISegmentedState segmented)
        {
            var changes = segmented.GetUnsavedSegmentChanges();
            Etag = await storage.WriteSegmentedAsync(grainType, key, stateName, data, changes, Etag, cancellationToken);
            segmented.MarkSegmentChangesSaved(changes);
        }
        else
        {
            Etag = await storage.WriteAsync(grainType, key, stateName, data, Etag, cancellationToken);
        }

        RecordExists = true;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        Etag = await storage.ClearAsync(grainType, key, stateName, Etag, cancellationToken);
        State = new TState();
        RecordExists = false;
    }

    Task IPersistentStateLoader.LoadAsync(CancellationToken cancellationToken) => ReadStateAsync(cancellationToken);
}
