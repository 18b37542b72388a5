using InventoryOrleans.DevBroker.Storage;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Cluster;

/// <summary>The log cleaner's loop: every LogCleanerInterval, compacted topics' partitions are cleaned (and any topic's
/// active segment older than its segment.ms is rolled).</summary>
public sealed partial class ClusterState
{
    private ITimer? _cleanerTimer;
    private LogCleaner? _cleaner;
    private int _cleanerPassRunning;

    /// <summary>Runs the log cleaner on every compacted partition now (the timer does it every LogCleanerInterval).</summary>
    public CleaningResult Compact()
    {
        var cleaner = LazyInitializer.EnsureInitialized(ref _cleaner, () => new LogCleaner(_logger));
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var result = CleaningResult.None;
        foreach (var topic in _topics.Values)
        {
            var segmentMs = topic.Config.SegmentMsOrNone;
            if (!topic.Config.Compacts && segmentMs < 0)
            {
                continue;
            }

            var policy = new CleaningPolicy(topic.Config.DeleteRetentionMsOrDefault, topic.Config.MinCompactionLagMsOrDefault);
            for (var p = 0; p < topic.PartitionCount; p++)
            {
                // One partition at a time under the admin lock: its segments are then neither deleted (topic deletion,
                // retention) nor closed (shutdown) while the cleaner reads them. Appends and fetches go on meanwhile.
                lock (_adminLock)
                {
                    var log = topic.Partitions[p];
                    if (_disposed || Find(topic.Name)?.Partition(p) != log)
                    {
                        break;
                    }

                    try
                    {
                        if (segmentMs > 0)
                        {
                            log.RollIfOlderThan(now - segmentMs);
                        }

                        if (topic.Config.Compacts)
                        {
                            result += cleaner.Clean(topic.Name, p, log, policy, now);
                        }
                    }
                    catch (IOException ex)
                    {
                        Log.CleaningFailed(_logger, topic.Name, p, ex);
                    }
                }
            }
        }

        return result;
    }

    private void StartLogCleaner() =>
        _cleanerTimer = _time.CreateTimer(_ => CompactFromTimer(), null, _options.LogCleanerInterval, _options.LogCleanerInterval);

    private void CompactFromTimer()
    {
        if (Interlocked.Exchange(ref _cleanerPassRunning, 1) == 1)
        {
            return; // the previous pass is still running
        }

        try
        {
            Compact();
        }
#pragma warning disable CA1031 // A failing pass must not take the broker down; the next pass retries.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.CleanerPassFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _cleanerPassRunning, 0);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Cleaning {Topic}-{Partition} failed; the next pass retries")]
        public static partial void CleaningFailed(ILogger logger, string topic, int partition, Exception exception);

        [LoggerMessage(Level = LogLevel.Error, Message = "Log cleaner pass failed")]
        public static partial void CleanerPassFailed(ILogger logger, Exception exception);
    }
}
