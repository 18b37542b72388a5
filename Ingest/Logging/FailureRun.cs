namespace InventoryOrleans.Ingest.Logging;

/// <summary>
/// Tracks a run of failures of something retried in a loop, so its log says when the run starts and when it ends,
/// never once per attempt (one line per state change).
/// </summary>
internal sealed class FailureRun
{
    private bool _failing;

    /// <summary>Records a failure; true when it starts a run (log it).</summary>
    public bool Failed()
    {
        var started = !_failing;
        _failing = true;
        return started;
    }

    /// <summary>Records a success; true when it ends a run (log the recovery).</summary>
    public bool Succeeded()
    {
        var ended = _failing;
        _failing = false;
        return ended;
    }
}
