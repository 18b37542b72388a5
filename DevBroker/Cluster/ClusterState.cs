using System.Collections.Concurrent;
using System.Text.Json;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Storage;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Cluster;

/// <summary>The one owner of the broker's topics and partition logs. Topic creation and deletion are serialized
/// here (and persisted to DataDir/topics.json); each partition log guards its own appends and reads.</summary>
public sealed partial class ClusterState : IDisposable
{
    private const string TopicsFile = "topics.json";
    private const string LockFile = ".lock";
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private readonly ConcurrentDictionary<string, Topic> _topics = new(StringComparer.Ordinal);
    private readonly object _adminLock = new();
    private readonly DevBrokerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DataArrivedSignal _dataArrived = new();
    private ITimer? _retentionTimer;
    private FileStream? _lock;
    private long _nextProducerId = 1;
    private bool _disposed;

    private ClusterState(DevBrokerOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Topics in name order.</summary>
    public IReadOnlyList<Topic> Topics => [.. _topics.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>Loads the topics and recovers their logs from the data directory (or starts empty in memory).</summary>
    public static ClusterState Open(DevBrokerOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var state = new ClusterState(options, time, loggerFactory.CreateLogger<ClusterState>());
        try
        {
            if (options.DataDir is { } dataDir)
            {
                Directory.CreateDirectory(dataDir);
                state._lock = TakeLock(dataDir);
                var file = Path.Combine(dataDir, TopicsFile);
                if (File.Exists(file))
                {
                    var records = JsonSerializer.Deserialize<List<TopicRecord>>(File.ReadAllText(file), JsonOptions) ?? [];
                    foreach (var record in records)
                    {
                        var topic = state.OpenTopic(record);
                        state._topics[topic.Name] = topic;
                        var maxProducer = topic.Partitions.Max(p => p.MaxProducerId);
                        state._nextProducerId = Math.Max(state._nextProducerId, maxProducer + 1);
                        Log.Recovered(state._logger, topic.Name, topic.PartitionCount);
                    }
                }
            }
        }
        catch
        {
            state.Dispose();
            throw;
        }

        state._retentionTimer = time.CreateTimer(_ => state.ApplyRetentionFromTimer(), null, options.RetentionCheckInterval, options.RetentionCheckInterval);
        state.StartLogCleaner();
        return state;
    }

    public Topic? Find(string name) => _topics.TryGetValue(name, out var topic) ? topic : null;

    /// <summary>The topic, created with the default partition count when missing and auto-creation is on.</summary>
    public Topic? FindOrAutoCreate(string name, bool allowAutoCreate = true)
    {
        if (Find(name) is { } existing)
        {
            return existing;
        }

        if (!allowAutoCreate || !_options.AutoCreateTopics || TopicNames.Problem(name) is not null)
        {
            return null;
        }

        return CreateTopic(name, -1, new Dictionary<string, string?>(), validateOnly: false).Topic ?? Find(name);
    }

    /// <summary>Creates a topic (−1 partitions = the default). Errors are values: TOPIC_ALREADY_EXISTS,
    /// INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS, INVALID_CONFIG.</summary>
    public CreateTopicResult CreateTopic(string name, int partitions, IReadOnlyDictionary<string, string?> configs, bool validateOnly)
    {
        ArgumentNullException.ThrowIfNull(configs);
        if (TopicNames.Problem(name) is { } problem)
        {
            return new CreateTopicResult(ErrorCode.InvalidTopicException, problem, null);
        }

        if (partitions == -1)
        {
            partitions = _options.DefaultPartitions;
        }

        if (partitions is < 1 or > 10_000)
        {
            return new CreateTopicResult(ErrorCode.InvalidPartitions, $"Number of partitions must be 1-10000, not {partitions}.", null);
        }

        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in configs)
        {
            if (TopicConfig.Check(key, value) is { } configProblem)
            {
                return new CreateTopicResult(ErrorCode.InvalidConfig, configProblem, null);
            }

            if (value is not null)
            {
                entries[key] = value;
            }
        }

        lock (_adminLock)
        {
            if (_topics.ContainsKey(name))
            {
                return new CreateTopicResult(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.", null);
            }

            if (validateOnly)
            {
                return new CreateTopicResult(ErrorCode.None, null, null);
            }

            var topic = OpenTopic(new TopicRecord(name, Guid.NewGuid(), partitions, entries));
            _topics[name] = topic;
            SaveTopics();
            Log.Created(_logger, name, partitions);
            return new CreateTopicResult(ErrorCode.None, null, topic);
        }
    }

    /// <summary>Grows a topic to <paramref name="count"/> partitions (existing ones keep their data and keys move, as in
    /// Kafka). Errors are values: UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS.</summary>
    public (ErrorCode Error, string? Message) AddPartitions(string name, int count, bool validateOnly)
    {
        lock (_adminLock)
        {
            if (!_topics.TryGetValue(name, out var topic))
            {
                return (ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
            }

            if (count <= topic.PartitionCount || count > 10_000)
            {
                return (ErrorCode.InvalidPartitions, $"Topic '{name}' has {topic.PartitionCount} partitions; the new count must be larger (and at most 10000), not {count}.");
            }

            if (validateOnly)
            {
                return (ErrorCode.None, null);
            }

            var partitions = topic.Partitions.ToList();
            for (var p = partitions.Count; p < count; p++)
            {
                partitions.Add(OpenPartition(name, p, topic.Config));
            }

            _topics[name] = new Topic(name, topic.Id, topic.Config, partitions);
            SaveTopics();
            Log.PartitionsAdded(_logger, name, count);
            return (ErrorCode.None, null);
        }
    }

    /// <summary>Deletes a topic and its logs; UNKNOWN_TOPIC_OR_PARTITION when there is none.</summary>
    public ErrorCode DeleteTopic(string name)
    {
        lock (_adminLock)
        {
            if (!_topics.TryRemove(name, out var topic))
            {
                return ErrorCode.UnknownTopicOrPartition;
            }

            SaveTopics();
            foreach (var partition in topic.Partitions)
            {
                partition.Delete();
            }

            Log.Deleted(_logger, name);
            _dataArrived.Notify(); // Fetches waiting on it answer now.
            return ErrorCode.None;
        }
    }

    /// <summary>A producer id never handed out before (also across restarts: ids in the logs are skipped).</summary>
    public long NextProducerId() => Interlocked.Increment(ref _nextProducerId) - 1;

    /// <summary>Makes sure no id up to <paramref name="producerId"/> is handed out again (ids kept elsewhere than in the
    /// logs, such as transactional producers' that wrote nothing yet).</summary>
    internal void ReserveProducerIds(long producerId)
    {
        var next = Volatile.Read(ref _nextProducerId);
        while (next <= producerId)
        {
            var seen = Interlocked.CompareExchange(ref _nextProducerId, producerId + 1, next);
            if (seen == next)
            {
                return;
            }

            next = seen;
        }
    }

    /// <summary>Runs retention on every partition now (the timer does it every RetentionCheckInterval); returns segments deleted.</summary>
    public int ApplyRetention()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var deleted = 0;
        foreach (var topic in _topics.Values)
        {
            if (!topic.Config.DeletesOldSegments)
            {
                continue;
            }

            var ms = topic.Config.RetentionMsOr(_options.RetentionMs);
            var bytes = topic.Config.RetentionBytesOr(_options.RetentionBytes);
            foreach (var partition in topic.Partitions)
            {
                try
                {
                    lock (_adminLock) // the log cleaner reads segments without the partition's lock, under this one
                    {
                        deleted += partition.ApplyRetention(now, ms, bytes);
                    }
                }
                catch (IOException ex)
                {
                    Log.RetentionFailed(_logger, topic.Name, ex);
                }
            }
        }

        return deleted;
    }

    public void Dispose()
    {
        _retentionTimer?.Dispose();
        _cleanerTimer?.Dispose();
        lock (_adminLock)
        {
            _disposed = true;
        }

        foreach (var topic in _topics.Values)
        {
            foreach (var partition in topic.Partitions)
            {
                partition.Dispose();
            }
        }

        _lock?.Dispose();
    }

    /// <summary>Completes at the next append anywhere (take it before checking, to miss none).</summary>
    internal Task DataArrivedAsync() => _dataArrived.NextAsync();

    internal void NotifyDataArrived() => _dataArrived.Notify();

    /// <summary>Two brokers writing one data directory would corrupt it: the second one refuses to start.</summary>
    private static FileStream TakeLock(string dataDir)
    {
        try
        {
            return new FileStream(Path.Combine(dataDir, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"DevBroker data directory '{Path.GetFullPath(dataDir)}' is in use by another DevBroker. Stop that one, or set DevBroker:DataDir (--data-dir) to another directory.",
                ex);
        }
    }

    private void ApplyRetentionFromTimer()
    {
        try
        {
            lock (_adminLock)
            {
                // Serialized with deletion and shutdown, so a log is never trimmed while it is being removed.
                if (!_disposed)
                {
                    ApplyRetention();
                }
            }
        }
#pragma warning disable CA1031 // A failing retention pass must not take the broker down; the next pass retries.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.RetentionPassFailed(_logger, ex);
        }
    }

    private Topic OpenTopic(TopicRecord record)
    {
        var config = new TopicConfig(record.Configs);
        var partitions = new PartitionLog[record.Partitions];
        for (var p = 0; p < partitions.Length; p++)
        {
            partitions[p] = OpenPartition(record.Name, p, config);
        }

        return new Topic(record.Name, record.Id, config, partitions);
    }

    private PartitionLog OpenPartition(string topic, int partition, TopicConfig config) => PartitionLog.Open(
        _options.DataDir is null ? null : Path.Combine(_options.DataDir, $"{topic}-{partition}"),
        config.SegmentBytesOr(_options.SegmentBytes),
        _logger);

    private void SaveTopics()
    {
        if (_options.DataDir is null)
        {
            return;
        }

        var records = _topics.Values
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new TopicRecord(t.Name, t.Id, t.PartitionCount, new Dictionary<string, string>(t.Config.Entries)))
            .ToList();
        var file = Path.Combine(_options.DataDir, TopicsFile);
        var temporary = file + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(records, JsonOptions));
        File.Move(temporary, file, overwrite: true);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} created with {Partitions} partitions")]
        public static partial void Created(ILogger logger, string topic, int partitions);

        [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} recovered with {Partitions} partitions")]
        public static partial void Recovered(ILogger logger, string topic, int partitions);

        [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} now has {Partitions} partitions")]
        public static partial void PartitionsAdded(ILogger logger, string topic, int partitions);

        [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} deleted")]
        public static partial void Deleted(ILogger logger, string topic);

        [LoggerMessage(Level = LogLevel.Error, Message = "Retention pass failed")]
        public static partial void RetentionPassFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Retention on topic {Topic} failed")]
        public static partial void RetentionFailed(ILogger logger, string topic, Exception exception);
    }
}
