using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.DeadLetter;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Ingest.Decoding;
using InventoryOrleans.Ingest.Publishing;
using InventoryOrleans.Ingest.Tracing;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>
/// One consumed batch (and the expiry publications that go with it) on its way through apply → one transaction of
/// records, offsets and publication marks. It remembers which products are applied, so a retry after a storage outage
/// applies only the rest (in the same publication attempt: the tickets stay the same until the attempt ends).
/// </summary>
internal sealed class IngestBatch
{
    public IngestBatch(IReadOnlyList<ConsumeResult<byte[], byte[]>> messages, IReadOnlyList<(string ProductId, int Partition)> expiries, TimeProvider time)
    {
        Messages = messages;
        Expiries = expiries;
        StartedAt = time.GetTimestamp();
        foreach (var message in messages)
        {
            Partitions.Add(message.Partition.Value);
        }

        foreach (var (_, partition) in expiries)
        {
            Partitions.Add(partition);
        }
    }

    /// <summary>Whether <see cref="Decode"/> ran: the dead letters and the events per product are known.</summary>
    public bool Decoded { get; private set; }

    /// <summary>
    /// Decodes every message (JSON or Avro, with the writer schemas of <paramref name="lookup"/>) into the dead letters
    /// and the valid events per product. Once per batch, after its schemas could be looked up.
    /// </summary>
    public void Decode(InputDecoder decoder, SchemaLookup lookup)
    {
        var results = ParseAll(Messages, decoder, lookup);
        for (var i = 0; i < Messages.Count; i++)
        {
            var message = Messages[i];
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

        Decoded = true;
        Trace = BatchTrace.Start(Messages, results, Expiries.Count);
    }

    /// <summary>The batch's spans, from decoding to its end; null when nothing samples the ingest's traces.</summary>
    public BatchTrace? Trace { get; private set; }

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

    /// <summary>Products (with their partition) whose expiry releases go out with this batch.</summary>
    public IReadOnlyList<(string ProductId, int Partition)> Expiries { get; }

    /// <summary>The records of each expiry product once prepared (empty when it had nothing left to publish).</summary>
    public Dictionary<string, IReadOnlyList<OutgoingMessage>> ExpiryRecords { get; } = new(StringComparer.Ordinal);

    /// <summary>The input partition numbers this batch publishes for (its messages' and its expiries').</summary>
    public HashSet<int> Partitions { get; } = [];

    /// <summary>The publication attempt of each of <see cref="Partitions"/>, fixed when the batch's first attempt starts.</summary>
    public Dictionary<int, PublicationTicket> Tickets { get; } = [];

    /// <summary>Set once the batch needs no more work: committed, given up after losing the partitions, or dropped.</summary>
    public bool Finished
    {
        get => _finished;
        set
        {
            _finished = value;
            if (value)
            {
                Trace?.End();
            }
        }
    }

    private bool _finished;

    /// <summary>The last attempt's commit failed without telling whether it went through; Kafka's marks tell before the next.</summary>
    public bool OutcomeUnknown { get; set; }

    /// <summary>Starts over in a new publication attempt: every product is applied again (answered as redeliveries).</summary>
    public void NewAttempt()
    {
        Applied.Clear();
        ExpiryRecords.Clear();
        Tickets.Clear();
    }

    public IEnumerable<string> PendingProducts => ByProduct.Keys.Where(p => !Applied.ContainsKey(p));

    /// <summary>
    /// Expiry products still to ask. One that has events in the batch is not asked: a product is claimed once per
    /// attempt, and the batch's claim covers its release (everything up to its current version).
    /// </summary>
    public IEnumerable<(string ProductId, int Partition)> PendingExpiries => Expiries.Where(e => !ExpiryRecords.ContainsKey(e.ProductId) && !ByProduct.ContainsKey(e.ProductId));

    /// <summary>Every record of the batch in the order it goes out: dead letters, then per product outcomes, alerts, net stock.</summary>
    public List<OutgoingMessage> Records()
    {
        var records = new List<OutgoingMessage>(DeadLetters.Count + Messages.Count + Applied.Count + ExpiryRecords.Count);
        records.AddRange(DeadLetters);
        foreach (var applied in Applied.Values)
        {
            records.AddRange(applied.Records);
        }

        foreach (var expiry in ExpiryRecords.Values)
        {
            records.AddRange(expiry);
        }

        return records;
    }

    private static ParseResult[] ParseAll(IReadOnlyList<ConsumeResult<byte[], byte[]>> messages, InputDecoder decoder, SchemaLookup lookup)
    {
        var results = new ParseResult[messages.Count];
        if (messages.Count < ParallelParseThreshold)
        {
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = decoder.Decode(messages[i], lookup);
            }

            return results;
        }

        var chunk = ParallelParseThreshold / 2;
        Parallel.For(0, (results.Length + chunk - 1) / chunk, c =>
        {
            var end = Math.Min(results.Length, (c + 1) * chunk);
            for (var i = c * chunk; i < end; i++)
            {
                results[i] = decoder.Decode(messages[i], lookup);
            }
        });
        return results;
    }

    // A dlq-reason is "code: detail"; the code alone has few values.
    private static string ReasonCode(string reason) => reason.IndexOf(':', StringComparison.Ordinal) is var at and >= 0 ? reason[..at] : reason;

    /// <summary>The input offsets to commit: the next offset of every topic-partition the batch read.</summary>
    public List<TopicPartitionOffset> CommitOffsets() => Messages
        .GroupBy(m => m.TopicPartition)
        .Select(g => new TopicPartitionOffset(g.Key, g.Max(m => m.Offset.Value) + 1))
        .ToList();
}
