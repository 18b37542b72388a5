namespace InventoryOrleans.Runtime;

/// <summary>
/// Call metrics of one runtime (per grain type and method: calls, errors, latency histogram) and activations per type.
/// Recording is lock-free; <see cref="Snapshot"/> returns immutable records for the dashboard.
/// </summary>
public sealed class GrainRuntimeMetrics(TimeProvider time, Microsoft.Extensions.Options.IOptions<GrainRuntimeOptions> options)
{
    private readonly Lock _gate = new();
    private readonly List<GrainMethodMetrics> _methods = [];
    private readonly List<ActivationGauge> _gauges = [];

    /// <summary>Copies the current counters.</summary>
    public GrainMetricsSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new GrainMetricsSnapshot(
                time.GetUtcNow(),
                [.. _methods.Select(m => m.Snapshot())],
                [.. _gauges.Select(g => new GrainActivationCount(g.GrainType, g.Count))]);
        }
    }

    internal GrainMethodMetrics RegisterMethod(string grainType, string method)
    {
        lock (_gate)
        {
            var existing = _methods.Find(m => m.GrainType == grainType && m.Method == method);
            if (existing is not null)
            {
                return existing;
            }

            var metrics = new GrainMethodMetrics(grainType, method, time.TimestampFrequency, options.Value.LatencySampling);
            _methods.Add(metrics);
            return metrics;
        }
    }

    internal ActivationGauge RegisterGrainType(string grainType)
    {
        lock (_gate)
        {
            var existing = _gauges.Find(g => g.GrainType == grainType);
            if (existing is not null)
            {
                return existing;
            }

            var gauge = new ActivationGauge(grainType);
            _gauges.Add(gauge);
            return gauge;
        }
    }
}
