using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.DeadLetter;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Ingest.Publishing;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// One consumed batch on its way through apply → publish → commit. It remembers what already succeeded, so a retry
/// after an outage repeats only what failed: a product persisted once is not applied again (its outcomes would turn
/// into duplicates), a record delivered once is not written again.
/// </summary>
internal sealed class IngestBatch
{
    public IngestBatch(IReadOnlyList<ConsumeResult<byte[], byte[]>> messages, TimeProvider time)
    {
        Messages = messages;
        StartedAt = time.GetTimestamp();
        var results = ParseAll(messages);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var parsed = results[i];
            if (!parsed.IsValid)
            {
                DeadLetters.Add(InventoryOrleans.Ingest.DeadLetter.DeadLetters.For(message, parsed.Reason!));
                DeadLetterReasons.Add(ReasonCode(parsed.Reason!));
                continue;
            }

            var inventoryEvent = parsed.Event!;
            if (!ByProduct.TryGetValue(inventoryEvent.ProductId, out var events))
            {
                events = [];
                ByProduct.Add(inventoryEvent.ProductId, events);
            }

            events.Add(new PositionedEvent(inventoryEvent, new EventPosition(message.Topic, message.Partition.Value, message.Offset.Value)));
        }
    }

    public IReadOnlyList<ConsumeResult<byte[], byte[]>> Messages { get; }

    // Parsing is pure CPU work per message: a large batch is parsed on all cores; grouping stays in order below.
    private const int ParallelParseThreshold = 512;

    public long StartedAt { get; }

    public List<OutgoingMessage> DeadLetters { get; } = [];

    /// <summary>The <see cref="DlqReasons"/> code of each dead letter, in the same order (what metrics group them by).</summary>
    public List<string> DeadLetterReasons { get; } = [];

    /// <summary>Valid events per product, in consumption (so partition) order.</summary>
    public Dictionary<string, List<PositionedEvent>> ByProduct { get; } = new(StringComparer.Ordinal);

    /// <summary>Products whose events are applied and persisted (filled on the pipeline thread after each apply attempt).</summary>
    public Dictionary<string, AppliedProduct> Applied { get; } = new(StringComparer.Ordinal);

    /// <summary>Records still to deliver; null until the apply stage is complete.</summary>
    public IReadOnlyList<OutgoingMessage>? Unpublished { get; set; }

    public bool Published { get; set; }

    /// <summary>Set once the batch needs no more work: committed, given up after losing the partitions, or dropped.</summary>
    public bool Finished { get; set; }

    public IEnumerable<string> PendingProducts => ByProduct.Keys.Where(p => !Applied.ContainsKey(p));

    private static ParseResult[] ParseAll(IReadOnlyList<ConsumeResult<byte[], byte[]>> messages)
    {
        var results = new ParseResult[messages.Count];
        if (messages.Count < ParallelParseThreshold)
        {
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = InventoryEventParser.Parse(messages[i].Message.Key, messages[i].Message.Value);
            }

            return results;
        }

        var chunk = ParallelParseThreshold / 2;
        Parallel.For(0, (results.Length + chunk - 1) / chunk, c =>
        {
            var end = Math.Min(results.Length, (c + 1) * chunk);
            for (var i = c * chunk; i < end; i++)
            {
                results[i] = InventoryEventParser.Parse(messages[i].Message.Key, messages[i].Message.Value);
            }
        });
        return results;
    }

    // A dlq-reason is "code: detail"; the code alone has few values.
    private static string ReasonCode(string reason) => reason.IndexOf(':', StringComparison.Ordinal) is var at and >= 0 ? reason[..at] : reason;

    /// <summary>The offsets to commit: the next offset of every partition the batch read.</summary>
    public List<TopicPartitionOffset> CommitOffsets() => Messages
        .GroupBy(m => m.TopicPartition)
        .Select(g => new TopicPartitionOffset(g.Key, g.Max(m => m.Offset.Value) + 1))
        .ToList();

    /// <summary>Where to rewind when the batch is dropped: the first offset of every partition it read.</summary>
    public List<TopicPartitionOffset> FirstOffsets() => Messages
        .GroupBy(m => m.TopicPartition)
        .Select(g => new TopicPartitionOffset(g.Key, g.Min(m => m.Offset.Value)))
        .ToList();
}
