namespace InventoryOrleans.Ingest.Publishing;

/// <summary>
/// Serializes the silo's two writers of net stock — the batch pipeline and the expiry sweeper — from the grain change
/// until its record is delivered. Without it a sweep could publish version n after the pipeline published n + 1 for
/// the same product, and the compacted <c>inventory.net-stock</c> would keep the older record as the product's last.
/// </summary>
public sealed class NetStockWriterGate
{
    // Never disposed: writers may still be leaving it while the host tears down, and a SemaphoreSlim whose wait
    // handle was never asked for holds nothing to release.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Blocks the pipeline's own thread (it owns the consumer and never runs on the thread pool).</summary>
    public void Enter(CancellationToken cancellationToken) => _gate.Wait(cancellationToken);

    public Task EnterAsync(CancellationToken cancellationToken) => _gate.WaitAsync(cancellationToken);

    public void Exit() => _gate.Release();
}
