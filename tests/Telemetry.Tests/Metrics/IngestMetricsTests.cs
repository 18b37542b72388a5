using System.Diagnostics.Metrics;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Telemetry.Tests.Metrics;

/// <summary>Each recording call feeds both the snapshot and the instruments, with the contract's names, units and attributes.</summary>
public sealed class IngestMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ManualTimeProvider _time = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, string? Unit, double Value, Dictionary<string, object?> Tags)> _measured = [];
    private readonly IngestMetrics _metrics;

    public IngestMetricsTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();

        // Only this test's meter: its factory is the scope (other tests' silos may share the process).
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
        _metrics = new IngestMetrics(_time, factory);
    }

    [Fact]
    public void Record_OutcomesAndDeadLetters_CountedByStatusAndReasonInSnapshotAndCounter()
    {
        _metrics.RecordConsumed(Topics.Events, 4);
        _metrics.RecordConsumed(Topics.Sales, 1);
        _metrics.RecordOutcome(OutcomeStatus.Applied, null);
        _metrics.RecordOutcome(OutcomeStatus.Duplicate, null);
        _metrics.RecordOutcome(OutcomeStatus.Rejected, RejectionReasons.InsufficientStock);
        _metrics.RecordDeadLettered("NotJson");
        _metrics.RecordDeadLettered("NotJson");

        var snapshot = _metrics.Snapshot();
        Assert.Equal(5, snapshot.EventsConsumed);
        Assert.Equal(4, snapshot.ConsumedByTopic[Topics.Events]);
        Assert.Equal(1, snapshot.OutcomesByStatus[OutcomeStatus.Rejected]);
        Assert.Equal(1, snapshot.RejectedByReason[RejectionReasons.InsufficientStock]);
        Assert.Equal(2, snapshot.DeadLettered);
        Assert.Equal(2, snapshot.DeadLetteredByReason["NotJson"]);

        Assert.Equal([(Topics.Events, 4.0), (Topics.Sales, 1.0)], Measured("inventory.ingest.messages").Select(m => ((string)m.Tags["topic"]!, m.Value)));
        Assert.All(Measured("inventory.ingest.messages"), m => Assert.Equal("{message}", m.Unit));
        Assert.Equal(
            ["applied/-", "duplicate/-", "rejected/InsufficientStock", "dead_lettered/NotJson", "dead_lettered/NotJson"],
            Measured("inventory.ingest.outcomes").Select(m => $"{m.Tags["status"]}/{m.Tags.GetValueOrDefault("reason") ?? "-"}"));
    }

    [Fact]
    public void RecordStageAndBatch_DurationsInSecondsByStage_SizeAndLatencyPerCommittedBatch()
    {
        _metrics.RecordStage(IngestStage.Apply, TimeSpan.FromMilliseconds(30));
        _metrics.RecordStage(IngestStage.Commit, TimeSpan.FromMilliseconds(4));
        _metrics.RecordBatch(250, TimeSpan.FromMilliseconds(40));

        Assert.Equal([("apply", 0.03), ("commit", 0.004)], Measured("inventory.ingest.batch.duration").Select(m => ((string)m.Tags["stage"]!, m.Value)));
        Assert.All(Measured("inventory.ingest.batch.duration"), m => Assert.Equal("s", m.Unit));
        Assert.Equal(250, Assert.Single(Measured("inventory.ingest.batch.size")).Value);
        Assert.Equal(0.04, Assert.Single(Measured("inventory.ingest.process.duration")).Value);
        var snapshot = _metrics.Snapshot();
        Assert.Equal(1, snapshot.Batches);
        Assert.Equal(TimeSpan.FromMilliseconds(30), snapshot.TimeByStage[IngestStage.Apply]);
    }

    [Fact]
    public void RecordLag_ObservedPerTopicAndPartition_ClearedWithTheAssignment()
    {
        _metrics.RecordLag(Topics.Events, 3, 12);
        _metrics.RecordLag(Topics.Sales, 3, -1);

        _listener.RecordObservableInstruments();
        Assert.Equal(
            [$"{Topics.Events}/3=12", $"{Topics.Sales}/3=0"],
            Measured("inventory.ingest.lag").Select(m => $"{m.Tags["topic"]}/{m.Tags["partition"]}={m.Value}").Order());
        Assert.Equal(12, _metrics.Snapshot().TotalLag);

        _metrics.ClearLag();
        _measured.Clear();
        _listener.RecordObservableInstruments();
        Assert.Empty(Measured("inventory.ingest.lag"));
        Assert.Empty(_metrics.Snapshot().Lag);
    }

    [Fact]
    public void RecordPaused_OncePerOutage_PausedGaugeAndDurationOnResume()
    {
        _metrics.RecordPaused("storage");
        _metrics.RecordPaused("storage");
        _listener.RecordObservableInstruments();
        Assert.Equal(1, Assert.Single(Measured("inventory.ingest.paused")).Value);
        Assert.True(_metrics.Snapshot() is { Paused: true, Pauses: 1 });

        _time.Advance(TimeSpan.FromSeconds(7));
        _metrics.RecordResumed();
        _metrics.RecordResumed();

        Assert.Equal("storage", Assert.Single(Measured("inventory.ingest.pauses")).Tags["cause"]);
        Assert.Equal(7, Assert.Single(Measured("inventory.ingest.pause.duration")).Value);
        Assert.True(_metrics.Snapshot() is { Paused: false, Pauses: 1 });
    }

    [Fact]
    public void RecordPublishAndCommit_ErrorTypeOnlyWhenFailed()
    {
        _metrics.RecordPublish(TimeSpan.FromMilliseconds(5), null);
        _metrics.RecordCommit(TimeSpan.FromMilliseconds(2), "Local_AllBrokersDown");

        Assert.Empty(Assert.Single(Measured("inventory.ingest.publish.duration")).Tags);
        Assert.Equal("Local_AllBrokersDown", Assert.Single(Measured("inventory.ingest.commit.duration")).Tags["error.type"]);
    }

    [Fact]
    public void RecordGrainCallsAndNetStock_LocalAndRemoteCallsAndExpiryRecords()
    {
        _metrics.RecordGrainCalls(10, 3);
        _metrics.RecordNetStockPublished(4);
        _metrics.RecordExpiryReleases(2);

        Assert.Equal([("local", 7.0), ("remote", 3.0)], Measured("inventory.ingest.grain_calls").Select(m => ((string)m.Tags["placement"]!, m.Value)));
        Assert.Equal(4, Assert.Single(Measured("inventory.net_stock.published")).Value);
        Assert.Equal(2, Assert.Single(Measured("inventory.expiry.published")).Value);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private List<(string Instrument, string? Unit, double Value, Dictionary<string, object?> Tags)> Measured(string instrument) =>
        [.. _measured.Where(m => m.Instrument == instrument)];

    private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct, IConvertible
    {
        var copied = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copied[tag.Key] = tag.Value;
        }

        _measured.Add((instrument.Name, instrument.Unit, value.ToDouble(System.Globalization.CultureInfo.InvariantCulture), copied));
    }
}
