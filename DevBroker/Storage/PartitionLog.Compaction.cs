using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Storage;

/// <summary>What the log cleaner needs from a partition log: a snapshot to read without the lock, a way to start a
/// cleaned segment, the swap under the lock, rolling an old active segment (segment.ms), and the completion of a swap
/// that a crash interrupted.</summary>
internal sealed partial class PartitionLog
{
    private const string SwapExtension = ".swap";

    /// <summary>Where the cleaner left this log (only the cleaner reads and writes it, one pass at a time).</summary>
    public CleanerBookmark? CleanerBookmark { get; set; }

    /// <summary>segment.bytes of this log: cleaned segments are merged up to this size.</summary>
    public int SegmentBytes => _segmentBytes;

    /// <summary>The segments and their batches as they are now (the active segment's index copied, the sealed ones'
    /// never change); null when the log was deleted.</summary>
    public CleanerSnapshot? TakeCleanerSnapshot()
    {
        lock (_lock)
        {
            if (_segments.Count == 0)
            {
                return null;
            }

            var views = new SegmentView[_segments.Count];
            for (var i = 0; i < views.Length; i++)
            {
                var segment = _segments[i];
                var batches = i == views.Length - 1 ? [.. segment.Index] : segment.Index;
                views[i] = new SegmentView(segment, batches, segment.SizeBytes, segment.MaxTimestamp);
            }

            return new CleanerSnapshot(views, _highWatermark);
        }
    }

    /// <summary>Seals the active segment when its first batch is at or before <paramref name="cutoffMs"/> (segment.ms:
    /// Kafka checks at append, here the cleaner's pass does), so an idle partition's head can be cleaned too.</summary>
    public bool RollIfOlderThan(long cutoffMs)
    {
        lock (_lock)
        {
            if (_segments.Count == 0 || _segments[^1].Index is not [var first, ..] || first.MaxTimestamp > cutoffMs)
            {
                return false;
            }

            _segments.Add(NewSegment(_highWatermark));
            return true;
        }
    }

    /// <summary>A cleaned segment to write outside the lock, named after the first segment it will replace.</summary>
    public CleanedSegmentWriter StartCleanedSegment(long baseOffset) => new(baseOffset, _directory);

    /// <summary>Replaces the consecutive sealed segments <paramref name="group"/> with the completed cleaned segment.
    /// On disk the cleaned file is first renamed to <c>&lt;base&gt;-&lt;end&gt;.swap</c> — from then on a restart finishes the
    /// swap — then the replaced files are removed and it takes the first one's name. False (nothing changed) when the
    /// group is no longer in the log.</summary>
    public bool SwapIn(IReadOnlyList<LogSegment> group, CleanedSegmentWriter cleaned)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(cleaned);
        lock (_lock)
        {
            var at = _segments.IndexOf(group[0]);
            if (at < 0 || at + group.Count >= _segments.Count || group.Where((s, i) => !ReferenceEquals(_segments[at + i], s)).Any())
            {
                return false; // the active segment always follows a group; anything else means the log changed
            }

            SegmentStore store;
            if (_directory is null)
            {
                store = cleaned.MemoryStore!;
            }
            else
            {
                var end = _segments[at + group.Count].BaseOffset;
                var swap = Path.Combine(_directory, SwapFileName(cleaned.BaseOffset, end));
                File.Move(cleaned.Path!, swap);
                foreach (var replaced in group)
                {
                    // Unlinked only: the open handles keep serving until the list below changes, if anything fails first.
                    File.Delete(((FileSegmentStore)replaced.Store).Path);
                }

                var final = Path.Combine(_directory, LogSegment.FileName(cleaned.BaseOffset));
                File.Move(swap, final);
                store = new FileSegmentStore(final);
            }

            cleaned.MarkSwappedIn();
            var segment = new LogSegment(cleaned.BaseOffset, store);
            foreach (var entry in cleaned.Index)
            {
                segment.AddToIndex(entry);
            }

            _segments.RemoveRange(at, group.Count);
            _segments.Insert(at, segment);
            foreach (var replaced in group)
            {
                replaced.Store.Dispose();
            }

            return true;
        }
    }

    /// <summary>At start-up, before the segments are read: a <c>.swap</c> file is a cleaned segment whose swap was decided,
    /// so the segments it replaces (base offsets in its range) go and it takes its name; a <c>.cleaned</c> file was never
    /// swapped in and goes.</summary>
    private static void FinishInterruptedCleaning(string directory, ILogger logger)
    {
        foreach (var swap in Directory.GetFiles(directory, "*" + SwapExtension))
        {
            var range = Path.GetFileNameWithoutExtension(swap).Split('-');
            if (range.Length != 2 || !long.TryParse(range[0], out var baseOffset) || !long.TryParse(range[1], out var end))
            {
                File.Delete(swap);
                continue;
            }

            foreach (var segment in Directory.GetFiles(directory, "*.log"))
            {
                if (long.TryParse(Path.GetFileNameWithoutExtension(segment), out var segmentBase) && segmentBase >= baseOffset && segmentBase < end)
                {
                    File.Delete(segment);
                }
            }

            File.Move(swap, Path.Combine(directory, LogSegment.FileName(baseOffset)));
            Log.CleaningSwapCompleted(logger, swap);
        }

        foreach (var cleaned in Directory.GetFiles(directory, "*" + CleanedSegmentWriter.Extension))
        {
            File.Delete(cleaned);
            Log.CleaningDiscarded(logger, cleaned);
        }
    }

    private static string SwapFileName(long baseOffset, long end) => $"{baseOffset:D20}-{end:D20}{SwapExtension}";

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Cleaned segment {Path} was being swapped in when the broker stopped; swap completed")]
        public static partial void CleaningSwapCompleted(ILogger logger, string path);

        [LoggerMessage(Level = LogLevel.Information, Message = "Cleaned segment {Path} was not swapped in before the broker stopped; deleted")]
        public static partial void CleaningDiscarded(ILogger logger, string path);
    }
}
