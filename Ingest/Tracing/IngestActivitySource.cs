using System.Diagnostics;

namespace InventoryOrleans.Ingest.Tracing;

/// <summary>
/// The ingest's spans, <c>InventoryOrleans.Ingest</c>: per batch <c>process</c> (linked to the traces of its messages)
/// and <c>send</c> with its <c>commit</c>; per message that came with a sampled W3C <c>traceparent</c>,
/// <c>process {topic}</c> in that message's trace, with its grain call and its <c>send inventory.outcomes</c>.
/// </summary>
public static class IngestActivitySource
{
    public const string Name = "InventoryOrleans.Ingest";

    internal static readonly ActivitySource Source = new(Name, typeof(IngestActivitySource).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// The span of one transaction's commit (or, without transactions, of the offsets' commit), under the batch's
    /// <c>send</c> span that is current on the committer's worker. Null when nothing samples it.
    /// </summary>
    internal static Activity? StartCommit() => Activity.Current is null ? null : Source.StartActivity("commit", ActivityKind.Client)?
        .SetTag(MessagingTags.System, MessagingTags.Kafka)
        .SetTag(MessagingTags.OperationName, "commit_transaction");
}
