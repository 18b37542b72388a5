using InventoryOrleans.Runtime;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>Deactivates grains through the silo's <see cref="GrainRuntime"/>, waiting for their turns in flight.</summary>
public sealed class RuntimeGrainDeactivator(GrainRuntime runtime) : IGrainDeactivator
{
    public Task DeactivateAsync(Func<string, string, bool> predicate, CancellationToken cancellationToken) =>
        runtime.DeactivateAsync(predicate, cancellationToken);
}
