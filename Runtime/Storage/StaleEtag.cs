namespace InventoryOrleans.Runtime;

/// <summary>Builds the <see cref="InconsistentStateException"/> every storage provider throws on an ETag mismatch, with one message shape.</summary>
internal static class StaleEtag
{
    public static InconsistentStateException Exception(string operation, string grainType, string key, string stateName, string? expected, string? stored) =>
        new($"{operation} of state '{stateName}' of grain {grainType}/{key} was rejected: expected ETag '{expected ?? "<none>"}' but storage holds '{stored ?? "<none>"}'. Another writer changed this grain; reload its state (deactivate the grain) before writing again.")
        {
            ExpectedEtag = expected,
            StoredEtag = stored,
        };
}
