using InventoryOrleans.Ingest.Expiry;
using InventoryOrleans.Ingest.Health;
using InventoryOrleans.Ingest.Metrics;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// A run of failures of storage, the broker or the schema registry, as the ingest shows it: the first failure pauses
/// consumption, reports the silo not ready (with how many expiry releases wait: they go out only in this silo's
/// transactions) and logs once; the first commit after it resumes, clears readiness and logs once.
/// </summary>
internal sealed class OutageTracker(ConsumerLoop consumer, ExpiryQueue expiries, IngestHealth health, IngestMetrics metrics, ILogger logger)
{
    /// <summary>A step of <paramref name="batch"/> failed with <paramref name="step"/>'s problem.</summary>
    public void Failed(StepResult step, IngestBatch batch)
    {
        health.SetExpiriesWaiting(expiries.Count + batch.Expiries.Count(e => !expiries.Contains(e.ProductId)));
        var changed = step.StorageProblem ? health.SetStorageProblem(step.Problem)
            : step.RegistryProblem ? health.SetRegistryProblem(step.Problem)
            : health.SetBrokerProblem(step.Problem);
        var cause = step.StorageProblem ? "storage" : step.RegistryProblem ? "registry" : "broker";
        var paused = health.SetPaused(step.Problem);
        if (paused)
        {
            metrics.RecordPaused(cause);
        }

        if (paused || changed)
        {
            IngestLog.Paused(logger, cause, step.Problem);
        }

        consumer.PauseForOutage();
    }

    /// <summary>A batch committed: whatever failed before is reachable again.</summary>
    public void Recovered()
    {
        var storage = health.SetStorageProblem(null);
        var broker = health.SetBrokerProblem(null);
        var registry = health.SetRegistryProblem(null);
        var resumed = health.SetPaused(null);
        health.SetExpiriesWaiting(0);
        if (resumed)
        {
            metrics.RecordResumed();
        }

        if (resumed || storage || broker || registry)
        {
            IngestLog.Resumed(logger);
        }

        consumer.ResumeAfterOutage();
    }
}
