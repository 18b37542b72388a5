using System.Diagnostics.Metrics;
using InventoryOrleans.Api.Telemetry;

namespace InventoryOrleans.Api.Watching;

/// <summary>
/// What a host's stock watches hold, on the API's meter: open watches (<c>inventory.watch.active</c>), stocks waiting
/// for their reader (<c>inventory.watch.pending</c>: at most one per product and watch) and watches ended because their
/// reader fell behind (<c>inventory.watch.overruns</c>).
/// </summary>
public sealed class WatchMetrics
{
    private readonly UpDownCounter<long> _active;
    private readonly UpDownCounter<long> _pending;
    private readonly Counter<long> _overruns;

    public WatchMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(ApiMeter.Name);
        _active = meter.CreateUpDownCounter<long>("inventory.watch.active", "{watch}", "Stock watches open on this host: SSE change streams and gRPC WatchStock calls");
        _pending = meter.CreateUpDownCounter<long>("inventory.watch.pending", "{stock}", "Stocks waiting to be sent to the watchers of this host: at most one per watched product and watch, a newer stock replaces a waiting one");
        _overruns = meter.CreateCounter<long>("inventory.watch.overruns", "{watch}", "Watches ended because their reader left a stock unread longer than Watch:MaxLag");
    }

    public void Opened() => _active.Add(1);

    public void Closed() => _active.Add(-1);

    public void Pending(long delta)
    {
        if (delta != 0)
        {
            _pending.Add(delta);
        }
    }

    public void Overrun() => _overruns.Add(1);
}
