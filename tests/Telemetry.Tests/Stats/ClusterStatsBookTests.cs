using System.Collections.Immutable;
using InventoryOrleans.Grains.Interfaces.Stats;
using InventoryOrleans.Grains.Stats;
using InventoryOrleans.Ingest.Stats;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Telemetry.Tests.Stats;

/// <summary>The stats grain's book on a hand-moved clock: sums, drop-out after five silent seconds, one-second history.</summary>
public sealed class ClusterStatsBookTests
{
    private static readonly Reachability Ok = new(true, "ok");

    [Fact]
    public void Read_TwoSilos_TotalsAddEveryCounterAndEveryReasonAndTopic()
    {
        var book = new ClusterStatsBook(new ManualTimeProvider());
        book.Report(Silo("a", Counters(messages: 10, applied: 7, rejected: ("InsufficientStock", 1), deadLettered: ("NotJson", 2), lag: 3, rate: 1.5), [0, 1]));
        book.Report(Silo("b", Counters(messages: 5, applied: 3, rejected: ("InsufficientStock", 2), deadLettered: ("KeyMismatch", 1), lag: 4, rate: 2), [2]));

        var stats = book.Read();

        Assert.Equal(["a", "b"], stats.Silos.Select(s => s.Silo));
        Assert.Equal(15, stats.Totals.Messages);
        Assert.Equal(15, stats.Totals.MessagesByTopic["inventory.events"]);
        Assert.Equal(10, stats.Totals.Applied);
        Assert.Equal(3, stats.Totals.Rejected);
        Assert.Equal(3, stats.Totals.RejectedByReason["InsufficientStock"]);
        Assert.Equal(3, stats.Totals.DeadLettered);
        Assert.Equal(2, stats.Totals.DeadLetteredByReason["NotJson"]);
        Assert.Equal(1, stats.Totals.DeadLetteredByReason["KeyMismatch"]);
        Assert.Equal(7, stats.Totals.TotalLag);
        Assert.Equal(3.5, stats.Totals.EventsPerSecond);
        Assert.Equal([0, 1, 2], stats.Lag.Select(l => l.Partition));
    }

    [Fact]
    public void Read_SiloSilentForMoreThanFiveSeconds_DropsOut()
    {
        var time = new ManualTimeProvider();
        var book = new ClusterStatsBook(time);
        book.Report(Silo("a", Counters(messages: 1), [0]));
        book.Report(Silo("b", Counters(messages: 2), [1]));

        time.Advance(TimeSpan.FromSeconds(3));
        book.Report(Silo("a", Counters(messages: 4), [0]));
        time.Advance(ClusterStatsBook.MissingAfter - TimeSpan.FromSeconds(3));
        Assert.Equal(2, book.Read().Silos.Length);

        time.Advance(TimeSpan.FromMilliseconds(1));
        var stats = book.Read();
        Assert.Equal("a", Assert.Single(stats.Silos).Silo);
        Assert.Equal(4, stats.Totals.Messages);
        Assert.Equal([0], stats.Lag.Select(l => l.Partition));

        time.Advance(ClusterStatsBook.MissingAfter);
        Assert.Empty(book.Read().Silos);
        Assert.Equal(IngestCounters.Zero.Messages, book.Read().Totals.Messages);
    }

    [Fact]
    public void History_ReportsSeveralTimesASecond_OneSampleASecondForFiveMinutes()
    {
        var time = new ManualTimeProvider();
        var book = new ClusterStatsBook(time);
        for (var tick = 0; tick < 4 * 400; tick++)
        {
            book.Report(Silo("a", Counters(messages: tick, lag: 2), [0]));
            time.Advance(TimeSpan.FromMilliseconds(250));
        }

        var history = book.Read().History;

        Assert.Equal(301, history.Length);
        Assert.All(history.Zip(history.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(1), pair.Second.At - pair.First.At));
        Assert.Equal(ClusterStatsBook.HistoryLength, history[^1].At - history[0].At);
        Assert.Equal(4 * 399, history[^1].Messages);
        Assert.All(history, s => Assert.Equal(2, s.TotalLag));
    }

    [Fact]
    public void Lag_PartitionReportedByTwoSilosDuringARebalance_ListedOnceWithTheLargerLag()
    {
        var book = new ClusterStatsBook(new ManualTimeProvider());
        book.Report(Silo("a", Counters(), [0], new PartitionLag("inventory.events", 0, 5)));
        book.Report(Silo("b", Counters(), [0], new PartitionLag("inventory.events", 0, 9)));

        Assert.Equal(9, Assert.Single(book.Read().Lag).Lag);
    }

    private static SiloStats Silo(string name, IngestCounters counters, int[] partitions, params PartitionLag[] lag) => new(
        name,
        name,
        DateTimeOffset.UnixEpoch,
        counters,
        [.. partitions],
        lag.Length > 0 ? [.. lag] : [.. partitions.Select(p => new PartitionLag("inventory.events", p, counters.TotalLag / partitions.Length))],
        null,
        Ok,
        Ok);

    private static IngestCounters Counters(long messages = 0, long applied = 0, (string Reason, long Count)? rejected = null, (string Reason, long Count)? deadLettered = null, long lag = 0, double rate = 0) => IngestCounters.Zero with
    {
        Messages = messages,
        MessagesByTopic = ImmutableDictionary<string, long>.Empty.Add("inventory.events", messages),
        EventsPerSecond = rate,
        Applied = applied,
        Rejected = rejected?.Count ?? 0,
        RejectedByReason = rejected is { } r ? ImmutableDictionary<string, long>.Empty.Add(r.Reason, r.Count) : ImmutableDictionary<string, long>.Empty,
        DeadLettered = deadLettered?.Count ?? 0,
        DeadLetteredByReason = deadLettered is { } d ? ImmutableDictionary<string, long>.Empty.Add(d.Reason, d.Count) : ImmutableDictionary<string, long>.Empty,
        TotalLag = lag,
    };
}
