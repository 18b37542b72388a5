namespace InventoryOrleans.Ingest.Rollback;

/// <summary>
/// What a read of one topic-partition's range found: each product's last message in it (offset and eventId) among
/// those a product grain decides and remembers (valid, with valid content). <see cref="Read"/> is the part actually
/// read: shorter than asked when the range was longer than the bound or the log no longer held its start, or when the
/// read ran out of time.
/// </summary>
internal sealed record RangeScan(OffsetRange Read, IReadOnlyDictionary<string, (long Offset, string EventId)> LastByProduct, bool TimedOut);
