using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Ingest.Tracing;

namespace InventoryOrleans.Ingest.Tests.Tracing;

/// <summary>
/// The spans of one batch (<see cref="BatchTrace"/>), with an ActivityListener of the ingest's source standing for the
/// tracer provider: a span per message whose producer sampled it, in that message's trace; the batch span's links
/// capped; nothing for messages without a sampled context; nothing at all without a listener.
/// </summary>
public sealed class BatchTraceTests
{
    private const string Topic = "inventory.sales";

    [Fact]
    public void Start_WithoutListener_TracesNothing()
    {
        using (var probe = new ActivitySource(IngestActivitySource.Name))
        {
            Assert.False(probe.HasListeners(), "a listener of the ingest's spans is registered in this process");
        }

        var (messages, results) = Batch([Sampled(NewContext())]);

        Assert.Null(BatchTrace.Start(messages, results, expiries: 0));
    }

    [Fact]
    public void Start_MessagesOfManyTraces_EachSampledOneGetsAProcessSpanInItsTraceAndTheBatchLinksAtMost128()
    {
        using var spans = new RecordedSpans();
        var sampled = Enumerable.Range(0, 200).Select(_ => NewContext()).ToList();
        var headers = sampled.Select(Sampled)
            .Concat(Enumerable.Range(0, 20).Select(_ => Unsampled(NewContext())))
            .Concat(Enumerable.Range(0, 20).Select(_ => (Headers?)null))
            .ToList();
        var (messages, results) = Batch(headers);

        var trace = BatchTrace.Start(messages, results, expiries: 0);
        Assert.NotNull(trace);
        trace.Committed();
        trace.End();

        var batch = Assert.Single(spans.Stopped, s => s.DisplayName == "process");
        Assert.Equal(default, batch.ParentSpanId);
        Assert.Equal(240, batch.GetTagItem("messaging.batch.message_count"));
        Assert.Equal(BatchTrace.MaxLinks, batch.Links.Count());
        Assert.Equal(sampled.Take(BatchTrace.MaxLinks).Select(c => c.SpanId), batch.Links.Select(l => l.Context.SpanId));
        var events = spans.Stopped.Where(s => s.DisplayName == "process " + Topic).ToList();
        Assert.Equal(sampled.Select(c => (c.TraceId, c.SpanId)), events.Select(s => (s.TraceId, s.ParentSpanId)));
        Assert.All(events, s =>
        {
            Assert.Equal(ActivityKind.Consumer, s.Kind);
            Assert.Equal(ActivityStatusCode.Unset, s.Status);
            Assert.Contains(s.Links, l => l.Context.SpanId == batch.SpanId);
        });
        Assert.Equal("e-0", events[0].GetTagItem("inventory.event.id"));
        Assert.Equal(0L, events[0].GetTagItem("messaging.kafka.offset"));
        Assert.Null(Activity.Current);
    }

    [Fact]
    public void Enter_ProductWithATracedEvent_MakesThatEventsSpanCurrent_OtherProductsTheBatchs()
    {
        using var spans = new RecordedSpans();
        var context = NewContext();
        var (messages, results) = Batch([Sampled(context), null]);
        var trace = BatchTrace.Start(messages, results, expiries: 0)!;

        Activity? traced;
        Activity? untraced;
        using (trace.Enter("p-0"))
        {
            traced = Activity.Current;
        }

        using (trace.Enter("p-1"))
        {
            untraced = Activity.Current;
        }

        Assert.Null(Activity.Current);
        trace.End();
        Assert.Equal(context.SpanId, traced?.ParentSpanId);
        Assert.Equal("process", untraced?.DisplayName);
        Assert.All(spans.Stopped, s => Assert.Equal(ActivityStatusCode.Error, s.Status));
    }

    private static ActivityContext NewContext() => new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);

    private static Headers Sampled(ActivityContext context) => TraceParent(context, "01");

    private static Headers Unsampled(ActivityContext context) => TraceParent(context, "00");

    private static Headers TraceParent(ActivityContext context, string flags) =>
        new() { { "traceparent", Encoding.UTF8.GetBytes($"00-{context.TraceId}-{context.SpanId}-{flags}") } };

    // One Sale per message, of product p-{i}, at offset i.
    private static (List<ConsumeResult<byte[], byte[]>> Messages, ParseResult[] Results) Batch(IReadOnlyList<Headers?> headers)
    {
        var messages = headers.Select((h, i) => new ConsumeResult<byte[], byte[]>
        {
            Topic = Topic,
            Partition = new Partition(0),
            Offset = new Offset(i),
            Message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes($"p-{i}"), Value = [], Headers = h },
        }).ToList();
        var results = headers.Select((_, i) => ParseResult.Valid(new InventoryEvent($"e-{i}", InventoryEventType.Sale, $"p-{i}", 1, DateTimeOffset.UnixEpoch))).ToArray();
        return (messages, results);
    }

    private sealed class RecordedSpans : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly List<Activity> _stopped = [];

        public RecordedSpans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == IngestActivitySource.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    lock (_stopped)
                    {
                        _stopped.Add(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> Stopped
        {
            get
            {
                lock (_stopped)
                {
                    return [.. _stopped];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
