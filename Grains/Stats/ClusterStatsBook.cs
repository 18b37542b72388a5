using System.Collections.Immutable;
using InventoryOrleans.Grains.Interfaces.Stats;

namespace InventoryOrleans.Grains.Stats;

/// <summary>
/// What the <see cref="ClusterStatsGrain"/> keeps: each silo's last report (a silo silent for longer than
/// <see cref="MissingAfter"/> drops out) and one cluster-wide sample a second for the last <see cref="HistoryLength"/>.
/// Times are the book's own clock at receipt, so silos' clocks never matter.
/// </summary>
public sealed class ClusterStatsBook(TimeProvider time)
{
    public static readonly TimeSpan MissingAfter = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan HistoryLength = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, (SiloStats Stats, DateTimeOffset ReceivedAt)> _silos = new(StringComparer.Ordinal);
    private readonly Queue<StatsSample> _history = new();

    public void Report(SiloStats report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = time.GetUtcNow();
        _silos[report.Silo] = (report, now);
        if (_history.Count == 0 || now - _history.Last().At >= SampleEvery)
        {
            var totals = Totals(Live(now));
            _history.Enqueue(new StatsSample(now, totals.EventsPerSecond, totals.Messages, totals.TotalLag));
            while (now - _history.Peek().At > HistoryLength)
            {
                _history.Dequeue();
            }
        }
    }

    public ClusterStats Read()
    {
        var now = time.GetUtcNow();
        var silos = Live(now);
        var lag = silos
            .SelectMany(s => s.Lag)
            .GroupBy(l => (l.Topic, l.Partition))

            // During a rebalance two silos may both report a partition for a moment; the larger lag is the safer one.
            .Select(g => g.MaxBy(l => l.Lag)!)
            .OrderBy(l => l.Topic, StringComparer.Ordinal)
            .ThenBy(l => l.Partition);
        return new ClusterStats(now, Totals(silos), silos, [.. lag], [.. _history]);
    }

    // Also forgets the silos that went silent, so a silo that left for good does not linger in memory.
    private ImmutableArray<SiloStats> Live(DateTimeOffset now)
    {
        foreach (var (silo, (_, receivedAt)) in _silos.ToList())
        {
            if (now - receivedAt > MissingAfter)
            {
                _silos.Remove(silo);
            }
        }

        return [.. _silos.Values.Select(s => s.Stats).OrderBy(s => s.Silo, StringComparer.Ordinal)];
    }

    private static IngestCounters Totals(IEnumerable<SiloStats> silos) => silos.Aggregate(IngestCounters.Zero, (sum, s) => sum.Plus(s.Counters));
}
