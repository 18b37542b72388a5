namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>Deactivates the grains of partitions that moved to another silo (an adapter over the grain runtime).</summary>
public interface IGrainDeactivator
{
    Task DeactivateAsync(Func<string, string, bool> predicate, CancellationToken cancellationToken);
}
