using System.Globalization;
using InventoryOrleans.Ingest.Metrics;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>What the silos' ingest metrics say about one phase of the run: the difference of two snapshots per silo.</summary>
internal sealed class IngestFigures(IReadOnlyList<IngestMetricsSnapshot> before, IReadOnlyList<IngestMetricsSnapshot> after)
{
    private long Sum(Func<IngestMetricsSnapshot, long> value) => after.Select((a, i) => value(a) - value(before[i])).Sum();

    public long Outcomes => Sum(s => s.OutcomesByStatus.Values.Sum());

    public long Consumed => Sum(s => s.EventsConsumed);

    /// <summary>Apply-stage grain calls (one per product per batch), and those whose grain was active on another silo.</summary>
    public string GrainCalls()
    {
        var calls = Sum(s => s.GrainCalls);
        var remote = Sum(s => s.RemoteGrainCalls);
        var perSilo = after.Count > 1
            ? "; " + string.Join(", ", after.Select((a, i) => string.Create(CultureInfo.InvariantCulture, $"silo-{i} {a.GrainCalls - before[i].GrainCalls:N0} calls, {a.RemoteGrainCalls - before[i].RemoteGrainCalls:N0} remote")))
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"grain calls {calls:N0}, to a grain on another silo {remote:N0} ({(calls == 0 ? 0 : remote / (double)calls):P2}){perSilo}");
    }

    /// <summary>Per silo: batches, events per batch and the time per stage (total, or per batch).</summary>
    public IEnumerable<string> Stages(bool perBatch) => after.Select((a, i) =>
    {
        var batches = a.Batches - before[i].Batches;
        var events = a.EventsConsumed - before[i].EventsConsumed;
        var stages = string.Join(", ", a.TimeByStage.OrderBy(p => p.Key).Select(p =>
        {
            var spent = p.Value - before[i].TimeByStage[p.Key];
            return perBatch
                ? string.Create(CultureInfo.InvariantCulture, $"{p.Key.ToString().ToLowerInvariant()} {spent.TotalMilliseconds / Math.Max(1, batches):N2} ms")
                : string.Create(CultureInfo.InvariantCulture, $"{p.Key.ToString().ToLowerInvariant()} {spent.TotalSeconds:N2} s");
        }));
        return string.Create(CultureInfo.InvariantCulture, $"silo-{i}: {batches:N0} batches of {events / (double)Math.Max(1, batches):N0} events; {(perBatch ? "per batch" : "time by stage")} {stages}");
    });
}
