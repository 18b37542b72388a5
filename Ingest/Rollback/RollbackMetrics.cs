using System.Diagnostics.Metrics;
using InventoryOrleans.Ingest.Metrics;

namespace InventoryOrleans.Ingest.Rollback;

/// <summary>
/// <c>inventory.state.rollbacks</c> on the ingest's meter (exported as <c>inventory_state_rollbacks_total</c>):
/// products found whose stored state lacks decisions the group committed, each counted once per silo process.
/// </summary>
internal sealed class RollbackMetrics
{
    private readonly Counter<long> _rollbacks;

    public RollbackMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _rollbacks = meters.Create(IngestInstruments.MeterName).CreateCounter<long>(
            "inventory.state.rollbacks",
            "{product}",
            "Products found whose stored state lacks decisions about messages the group committed (storage lost acknowledged writes), by input topic and partition");
    }

    public void RecordRollback(string topic, int partition) =>
        _rollbacks.Add(1, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("partition", partition));
}
