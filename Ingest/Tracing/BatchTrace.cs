using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces.Json;

namespace InventoryOrleans.Ingest.Tracing;

/// <summary>
/// The spans of one consumed batch. A batch holds messages of many traces, so it is traced twice over:
/// <list type="bullet">
/// <item>one <c>process</c> span of its own (kind consumer, a root), linked to the trace of each message that carried a
/// sampled context — at most <see cref="MaxLinks"/> links, so a batch of 10,000 traced messages does not make a
/// span of 10,000 links; the grain calls of products without a traced event run under it, so the batch is the unit
/// a sampler keeps or drops for the untraced bulk of the feed;</item>
/// <item>per traced message a <c>process {topic}</c> span whose parent is the message's own context, from decoding
/// to the batch's end, so whoever follows one posted event sees its ingest, its grain call and its publication in the
/// event's own trace.</item>
/// </list>
/// Nothing of this exists when no listener samples <see cref="IngestActivitySource"/>: <see cref="Start"/> returns
/// null and the pipeline's few calls are null-conditional.
/// </summary>
internal sealed class BatchTrace
{
    /// <summary>The most links the batch span gets (later traced messages still get their own span).</summary>
    public const int MaxLinks = 128;

    private readonly Activity? _batch;
    private readonly List<Activity> _events;

    // The span a product's grain call runs under: its first traced event's (later ones of the product link to it).
    private readonly Dictionary<string, Activity> _byProduct;
    private bool _committed;
    private int _ended;

    private BatchTrace(Activity? batch, List<Activity> events, Dictionary<string, Activity> byProduct)
    {
        _batch = batch;
        _events = events;
        _byProduct = byProduct;
    }

    /// <summary>
    /// Starts the batch's spans once its messages are decoded (<paramref name="results"/>, one per message); null when
    /// nothing is sampled.
    /// </summary>
    public static BatchTrace? Start(IReadOnlyList<ConsumeResult<byte[], byte[]>> messages, ParseResult[] results, int expiries)
    {
        if (!IngestActivitySource.Source.HasListeners() || (messages.Count == 0 && expiries == 0))
        {
            return null;
        }

        List<(int Index, ActivityContext Context)>? traced = null;
        for (var i = 0; i < messages.Count; i++)
        {
            if (IncomingTraceContext.TryExtractSampled(messages[i].Message.Headers, out var context))
            {
                (traced ??= []).Add((i, context));
            }
        }

        // Started with no current activity, whatever the pipeline thread holds, and left current nowhere: the batch
        // lives across later batches (its commit overlaps the next one's apply), which must not become its children.
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            var batch = IngestActivitySource.Source.StartActivity(
                ActivityKind.Consumer,
                default(ActivityContext),
                links: traced?.Take(MaxLinks).Select(t => new ActivityLink(t.Context)),
                name: "process");
            if (batch is { IsAllDataRequested: true })
            {
                batch.SetTag(MessagingTags.System, MessagingTags.Kafka)
                    .SetTag(MessagingTags.OperationType, "process")
                    .SetTag(MessagingTags.OperationName, "process")
                    .SetTag(MessagingTags.BatchCount, messages.Count)
                    .SetTag("inventory.batch.expiry_count", expiries)
                    .SetTag("inventory.batch.traced_count", traced?.Count ?? 0);
            }

            if (traced is null)
            {
                // The untraced bulk of the feed: at most the batch's own span.
                return batch is null ? null : new BatchTrace(batch, [], []);
            }

            var events = new List<Activity>(traced.Count);
            var byProduct = new Dictionary<string, Activity>(StringComparer.Ordinal);
            foreach (var (index, context) in traced)
            {
                if (StartEvent(messages[index], results[index], context, batch, byProduct) is { } span)
                {
                    events.Add(span);
                }

                Activity.Current = null;
            }

            return batch is null && events.Count == 0 ? null : new BatchTrace(batch, events, byProduct);
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    private static Activity? StartEvent(ConsumeResult<byte[], byte[]> message, ParseResult parsed, ActivityContext context, Activity? batch, Dictionary<string, Activity> byProduct)
    {
        var span = IngestActivitySource.Source.StartActivity(
            ActivityKind.Consumer,
            context,
            links: batch is null ? null : [new ActivityLink(batch.Context)],
            name: "process " + message.Topic);
        if (span is null)
        {
            return null;
        }

        var productId = parsed.Event?.ProductId;
        if (span.IsAllDataRequested)
        {
            span.SetTag(MessagingTags.System, MessagingTags.Kafka)
                .SetTag(MessagingTags.OperationType, "process")
                .SetTag(MessagingTags.OperationName, "process")
                .SetTag(MessagingTags.Destination, message.Topic)
                .SetTag(MessagingTags.Partition, message.Partition.Value.ToString(CultureInfo.InvariantCulture))
                .SetTag(MessagingTags.Offset, message.Offset.Value)
                .SetTag(MessagingTags.MessageKey, message.Message.Key is { } key ? Encoding.UTF8.GetString(key) : null)
                .SetTag(MessagingTags.EventId, parsed.Event?.EventId)
                .SetTag(MessagingTags.ProductId, productId);
            if (!parsed.IsValid)
            {
                span.SetTag(MessagingTags.ErrorType, "dead_lettered").SetStatus(ActivityStatusCode.Error, parsed.Reason);
            }
        }

        if (productId is not null)
        {
            if (byProduct.TryGetValue(productId, out var first))
            {
                // Applied in the same grain call as that event, which is where the call's span is.
                span.AddLink(new ActivityLink(first.Context));
            }
            else
            {
                byProduct.Add(productId, span);
            }
        }

        return span;
    }

    /// <summary>
    /// Makes the span a product's grain call belongs under current until disposed: its first traced event's, else the
    /// batch's (Orleans' activity propagation starts the call's span under the current activity).
    /// </summary>
    public IDisposable Enter(string productId) => new CurrentScope(_byProduct.GetValueOrDefault(productId) ?? _batch);

    /// <summary>
    /// Starts the spans of one publication attempt (the transaction of records and offsets): the batch's <c>send</c>,
    /// current until the returned trace is disposed (so the committer's worker, which inherits it, puts its
    /// <c>commit</c> under it), and a <c>send inventory.outcomes</c> in each traced event's trace, linked to it. They end
    /// with the attempt's outcome (<see cref="PublishTrace.End"/>).
    /// </summary>
    public PublishTrace StartPublish(int records)
    {
        var previous = Activity.Current;
        Activity.Current = _batch;
        var send = IngestActivitySource.Source.StartActivity("send", ActivityKind.Producer);
        if (send is { IsAllDataRequested: true })
        {
            send.SetTag(MessagingTags.System, MessagingTags.Kafka)
                .SetTag(MessagingTags.OperationType, "send")
                .SetTag(MessagingTags.OperationName, "send")
                .SetTag(MessagingTags.BatchCount, records);
        }

        var perEvent = new List<Activity>(_events.Count);
        foreach (var evt in _events)
        {
            var outcome = IngestActivitySource.Source.StartActivity(
                ActivityKind.Producer,
                evt.Context,
                links: send is null ? null : [new ActivityLink(send.Context)],
                name: "send inventory.outcomes");
            if (outcome is { IsAllDataRequested: true })
            {
                outcome.SetTag(MessagingTags.System, MessagingTags.Kafka)
                    .SetTag(MessagingTags.OperationType, "send")
                    .SetTag(MessagingTags.OperationName, "send")
                    .SetTag(MessagingTags.Destination, "inventory.outcomes")
                    .SetTag(MessagingTags.EventId, evt.GetTagItem(MessagingTags.EventId));
            }

            if (outcome is not null)
            {
                perEvent.Add(outcome);
            }
        }

        Activity.Current = send ?? _batch;
        return new PublishTrace(send, perEvent, previous);
    }

    /// <summary>The batch committed: its spans end without error.</summary>
    public void Committed() => _committed = true;

    /// <summary>Ends every span of the batch, once (the batch is finished: committed, given up or dropped).</summary>
    public void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            return;
        }

        foreach (var span in _events)
        {
            if (!_committed && span.Status != ActivityStatusCode.Error)
            {
                // Its input offset did not commit: the message is read again (here or by the partition's next owner).
                span.SetStatus(ActivityStatusCode.Error, "not committed: the message is processed again");
            }

            span.Stop();
        }

        if (!_committed)
        {
            _batch?.SetStatus(ActivityStatusCode.Error, "not committed");
        }

        _batch?.Stop();
    }

    private sealed class CurrentScope : IDisposable
    {
        private readonly Activity? _previous = Activity.Current;

        public CurrentScope(Activity? current) => Activity.Current = current;

        public void Dispose() => Activity.Current = _previous;
    }
}
