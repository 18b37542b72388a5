using System.Collections;
using System.Globalization;
using System.Text.Json.Serialization;
using InventoryOrleans.Grains.Storage;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// The de-duplication window: a FIFO of decided events, stored in segments so a write costs what changed, not the window.
/// New entries go to the open segment (part of the state's head); when it holds <see cref="SegmentSize"/> entries it is
/// sealed under the next segment id and never changes again. Eviction takes entries from the front of the oldest sealed
/// segment by counting them in <see cref="EvictedFromFirstSegment"/> (a head field) instead of rewriting the segment,
/// and drops the segment once it is fully evicted. The segment changes since the last save are what
/// <see cref="ISegmentedState"/> hands to storage.
/// </summary>
[JsonConverter(typeof(SeenEventWindowConverter))]
public sealed class SeenEventWindow : IEnumerable<SeenEvent>
{
    /// <summary>
    /// Entries per sealed segment. The open segment (up to this size) goes out with every head write (its JSON kept as
    /// entries arrive, <see cref="OpenSegmentJson"/>), while each sealed segment is one more field to read on
    /// activation. 32 (313 fields for a 10,000-entry window) halved the ingest's p50 latency against 128 in the
    /// pipeline benchmark, when the open entries were still encoded whole with every write. A stored window keeps the
    /// size it was written with.
    /// </summary>
    public const int DefaultSegmentSize = 32;

    private readonly Queue<Segment> _sealed = new();
    private readonly Queue<SeenEvent> _open = new();
    private readonly List<Segment> _unsavedSealed = [];
    private readonly List<long> _unsavedDropped = [];

    // The open entries' JSON, kept as entries arrive (see OpenSegmentJson): null until a head write first needs it, and
    // again after an entry left the open segment other than by sealing.
    private OpenSegmentJson? _openJson;

    // Set when built from a head whose sealed segments are still to come (Restore).
    private long _expectedFirst;
    private bool _awaitingSegments;

    public SeenEventWindow()
        : this(DefaultSegmentSize)
    {
    }

    public SeenEventWindow(int segmentSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentSize, 1);
        SegmentSize = segmentSize;
    }

    public int SegmentSize { get; }

    /// <summary>How many entries the window holds.</summary>
    public int Count { get; private set; }

    /// <summary>The id of the oldest sealed segment, or <see cref="NextSegmentId"/> when none is sealed.</summary>
    public long FirstSegmentId => _awaitingSegments ? _expectedFirst : _sealed.TryPeek(out var first) ? first.Id : NextSegmentId;

    /// <summary>The id the next sealed segment gets.</summary>
    public long NextSegmentId { get; private set; }

    /// <summary>How many entries at the front of the oldest sealed segment are already evicted.</summary>
    public int EvictedFromFirstSegment { get; private set; }

    /// <summary>The entries not yet sealed, oldest first.</summary>
    public IEnumerable<SeenEvent> OpenEntries => _open;

    /// <summary>The open entries as a JSON array, as <see cref="SeenEventCodec.WriteEntries"/> writes them (for the head).</summary>
    internal ReadOnlySpan<byte> OpenEntriesJson => (_openJson ??= OpenSegmentJson.Of(_open)).Json;

    /// <summary>False while a window read from a head still waits for its sealed segments (<see cref="Restore"/>); it then shows only its open entries.</summary>
    public bool IsComplete => !_awaitingSegments;

    public void Enqueue(SeenEvent seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        _open.Enqueue(seen);
        _openJson?.Append(seen);
        Count++;
        if (_open.Count == SegmentSize)
        {
            var segment = new Segment(NextSegmentId++, _open.ToArray(), _openJson?.Json.ToArray());
            _open.Clear();
            _openJson?.Clear();
            _sealed.Enqueue(segment);
            _unsavedSealed.Add(segment);
        }
    }

    /// <summary>Removes and returns the oldest entry.</summary>
    public SeenEvent Dequeue()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The window is empty.");
        }

        Count--;
        if (!_sealed.TryPeek(out var first))
        {
            _openJson = null;
            return _open.Dequeue();
        }

        var seen = first.Entries[EvictedFromFirstSegment++];
        if (EvictedFromFirstSegment == first.Entries.Length)
        {
            _sealed.Dequeue();
            EvictedFromFirstSegment = 0;

            // Sealed and dropped between two writes: storage never needs to see it.
            if (!_unsavedSealed.Remove(first))
            {
                _unsavedDropped.Add(first.Id);
            }
        }

        return seen;
    }

    public IEnumerator<SeenEvent> GetEnumerator()
    {
        var skip = EvictedFromFirstSegment;
        foreach (var segment in _sealed)
        {
            for (var i = skip; i < segment.Entries.Length; i++)
            {
                yield return segment.Entries[i];
            }

            skip = 0;
        }

        foreach (var seen in _open)
        {
            yield return seen;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The segments sealed and dropped since the last <see cref="MarkSaved"/>.</summary>
    public StateSegmentChanges GetUnsavedChanges()
    {
        if (_unsavedSealed.Count == 0 && _unsavedDropped.Count == 0)
        {
            return StateSegmentChanges.None;
        }

        var added = new StateSegment[_unsavedSealed.Count];
        for (var i = 0; i < added.Length; i++)
        {
            added[i] = new StateSegment(_unsavedSealed[i].Id, _unsavedSealed[i].Encode());
        }

        return new StateSegmentChanges(added, _unsavedDropped.ToArray());
    }

    /// <summary>Storage holds <paramref name="saved"/>: forget those changes (only those, should more have happened since).</summary>
    public void MarkSaved(StateSegmentChanges saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        foreach (var added in saved.Added)
        {
            var index = _unsavedSealed.FindIndex(s => s.Id == added.Id);
            if (index >= 0)
            {
                // Stored: its encoding is not needed again (a move re-encodes), and kept it would double the memory
                // every sealed entry takes for the rest of the activation.
                _unsavedSealed[index].ForgetEncoding();
                _unsavedSealed.RemoveAt(index);
            }
        }

        foreach (var dropped in saved.Dropped)
        {
            _unsavedDropped.Remove(dropped);
        }
    }

    /// <summary>
    /// Completes a window read from a head with the stored segments (ascending ids). Segments the head no longer refers
    /// to are left-overs and are deleted with the next write.
    /// </summary>
    /// <exception cref="InvalidOperationException">A segment the head refers to is missing.</exception>
    /// <exception cref="System.Text.Json.JsonException">A segment is malformed.</exception>
    public void Restore(IReadOnlyList<StateSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var expected = _awaitingSegments ? _expectedFirst : NextSegmentId;
        var restored = new List<Segment>();
        foreach (var stored in segments)
        {
            if (stored.Id < expected || stored.Id >= NextSegmentId)
            {
                if (!_unsavedSealed.Exists(s => s.Id == stored.Id))
                {
                    _unsavedDropped.Add(stored.Id);
                }

                continue;
            }

            if (stored.Id != expected)
            {
                break;
            }

            restored.Add(new Segment(stored.Id, SeenEventCodec.DecodeSegment(stored.Data)));
            expected++;
        }

        if (_awaitingSegments && (expected != NextSegmentId || EvictedFromFirstSegment >= restored[0].Entries.Length))
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"Stored product state is incomplete: its head refers to window segments {_expectedFirst} to {NextSegmentId - 1} (with {EvictedFromFirstSegment} evicted from the first), but storage holds [{string.Join(',', segments.Select(s => s.Id))}]."));
        }

        if (!_awaitingSegments)
        {
            return;
        }

        foreach (var segment in restored)
        {
            _sealed.Enqueue(segment);
            Count += segment.Entries.Length;
        }

        Count -= EvictedFromFirstSegment;
        _awaitingSegments = false;
    }

    /// <summary>Whether sealed or dropped segments wait for a write (a window that moves to another silo must have none).</summary>
    internal bool HasUnsavedChanges => _unsavedSealed.Count > 0 || _unsavedDropped.Count > 0;

    /// <summary>Every sealed segment as storage holds it, oldest first (for moving the whole window without storage).</summary>
    internal IReadOnlyList<StateSegment> SealedSegments() => _sealed.Select(s => new StateSegment(s.Id, s.Encode())).ToList();

    /// <summary>A window as its head describes it; its sealed segments follow through <see cref="Restore"/>.</summary>
    internal static SeenEventWindow FromHead(int segmentSize, long firstSegment, long nextSegment, int evicted, List<SeenEvent> open)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(firstSegment);
        ArgumentOutOfRangeException.ThrowIfLessThan(nextSegment, firstSegment);
        ArgumentOutOfRangeException.ThrowIfNegative(evicted);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(open.Count, segmentSize, "open entries");
        if (nextSegment == firstSegment && evicted != 0)
        {
            throw new ArgumentException("the window evicts from a sealed segment but has none.", nameof(evicted));
        }

        var window = new SeenEventWindow(segmentSize)
        {
            NextSegmentId = nextSegment,
            EvictedFromFirstSegment = evicted,
            _expectedFirst = firstSegment,
            _awaitingSegments = nextSegment > firstSegment,
        };
        foreach (var seen in open)
        {
            window._open.Enqueue(seen);
        }

        window.Count = open.Count;
        return window;
    }

    private sealed class Segment(long id, SeenEvent[] entries, byte[]? encoded = null)
    {
        private byte[]? _encoded = encoded;

        public long Id { get; } = id;

        public SeenEvent[] Entries { get; } = entries;

        // Cached while the segment waits for storage, so a retried write does not encode it again.
        public byte[] Encode() => _encoded ??= SeenEventCodec.EncodeSegment(Entries);

        public void ForgetEncoding() => _encoded = null;
    }
}
