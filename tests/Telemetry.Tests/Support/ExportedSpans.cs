using System.Collections.ObjectModel;
using System.Diagnostics;

namespace InventoryOrleans.Telemetry.Tests.Support;

/// <summary>
/// What OpenTelemetry's in-memory exporter collects: spans end on many threads (requests, grain calls, the ingest's
/// committer), so adding and reading are locked.
/// </summary>
public sealed class ExportedSpans : Collection<Activity>
{
    private readonly Lock _gate = new();

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_gate)
        {
            return [.. Items];
        }
    }

    protected override void InsertItem(int index, Activity item)
    {
        lock (_gate)
        {
            base.InsertItem(index, item);
        }
    }

    protected override void ClearItems()
    {
        lock (_gate)
        {
            base.ClearItems();
        }
    }
}
