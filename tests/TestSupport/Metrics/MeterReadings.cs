using System.Diagnostics.Metrics;

namespace InventoryOrleans.TestSupport.Metrics;

/// <summary>
/// Listens to the <c>long</c> instruments of one meter as one host created it (its <see cref="IMeterFactory"/>: other
/// hosts in the test process have meters of the same name) and keeps, per instrument, the sum of what was recorded — a
/// counter's total, an up-down counter's current value — and the highest that sum reached. What <c>/metrics</c>
/// would show, read without an exporter.
/// </summary>
public sealed class MeterReadings : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Sum, long Peak)> _readings = new(StringComparer.Ordinal);

    public MeterReadings(IMeterFactory scope, string meterName)
    {
        ArgumentNullException.ThrowIfNull(scope);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (_gate)
            {
                var (sum, peak) = _readings.GetValueOrDefault(instrument.Name);
                sum += value;
                _readings[instrument.Name] = (sum, Math.Max(peak, sum));
            }
        });
        _listener.Start();
    }

    /// <summary>The sum recorded into <paramref name="instrument"/> so far (0 before anything was).</summary>
    public long Sum(string instrument)
    {
        lock (_gate)
        {
            return _readings.GetValueOrDefault(instrument).Sum;
        }
    }

    /// <summary>The highest <see cref="Sum"/> of <paramref name="instrument"/> so far.</summary>
    public long Peak(string instrument)
    {
        lock (_gate)
        {
            return _readings.GetValueOrDefault(instrument).Peak;
        }
    }

    /// <summary>Reads the observable instruments now (their value replaces, rather than adds to, the sum).</summary>
    public long Observe(string instrument)
    {
        lock (_gate)
        {
            _readings.Remove(instrument);
        }

        _listener.RecordObservableInstruments();
        return Sum(instrument);
    }

    public void Dispose() => _listener.Dispose();
}
