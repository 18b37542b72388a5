using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using StackExchange.Redis;

namespace InventoryOrleans.Grains.Storage;

/// <summary>
/// An Orleans grain storage provider on Redis for states that grow by appending (<see cref="ISegmentedState"/>): one
/// hash per grain state, <c>{ServiceId}/segmented/{grainId}/{stateName}</c>, with fields <c>etag</c> (a fresh random
/// token with every write or clear, see <see cref="StateETag"/>), <c>data</c> (the state's JSON, its head) and one field <c>seg:{id}</c> per sealed
/// segment. A write sends the head plus what was sealed or dropped since the last write, so its cost follows the
/// change, not the state's size (Orleans' own Redis provider rewrites the whole JSON: see the window figures in docs/benchmarks.md).
/// The ETag check and every change of a write run in one Lua script, so they are atomic on the server; a stale ETag
/// throws <see cref="InconsistentStateException"/>, which fences a second activation. Concurrent writes share one
/// script call (<see cref="RedisWriteBatcher"/>), each still checked against its own ETag. A write completes once the
/// server answered it and, on a server that answers before it is durable, once its
/// <see cref="SegmentedRedisStorageOptions.DurabilityCommand"/> answered. A plain state (not segmented) is stored the
/// same way with no segments.
/// </summary>
public sealed partial class SegmentedRedisGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private const string SegmentPrefix = "seg:";

    // Deletes everything but the ETag, which gets a fresh token and stays as a tombstone (a cleared state keeps fencing
    // writers). ARGV: expected ETag ('' for none), new ETag.
    private const string ClearScript = """
        local stored = redis.call('HGET', KEYS[1], 'etag')
        if not stored then stored = '' end
        if stored ~= ARGV[1] then return {0, stored} end
        if stored == '' then return {1, ''} end
        for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
            if field ~= 'etag' then redis.call('HDEL', KEYS[1], field) end
        end
        redis.call('HSET', KEYS[1], 'etag', ARGV[2])
        return {1, ARGV[2]}
        """;

    private readonly string _name;
    private readonly SegmentedRedisStorageOptions _options;
    private readonly IActivatorProvider _activators;
    private readonly ILogger<SegmentedRedisGrainStorage> _logger;
    private readonly string _keyPrefix;
    private readonly RedisWriteBatcher _writes;
    private ConnectionMultiplexer? _connection;

    // The head's writer, one per thread and reset for each head (see WriteHead).
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public SegmentedRedisGrainStorage(
        string name,
        SegmentedRedisStorageOptions options,
        IOptions<ClusterOptions> cluster,
        IActivatorProvider activators,
        ILogger<SegmentedRedisGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cluster);
        _name = name;
        _options = options;
        _activators = activators;
        _logger = logger;
        _keyPrefix = $"{cluster.Value.ServiceId}/segmented/";
        _writes = new RedisWriteBatcher(() => Database, options.MaxKeysPerCall, options.MaxBytesPerCall, options.MaxCallsInFlight, options.DurabilityCommand);
    }

    private IDatabase Database => (_connection ?? throw new InvalidOperationException($"Grain storage '{_name}' is used before the silo started it.")).GetDatabase();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(SegmentedRedisGrainStorage)}-{_name}", ServiceLifecycleStage.ApplicationServices, ConnectAsync, _ => Task.CompletedTask);

    /// <summary>Connects (the silo lifecycle does this at start; tests and benchmarks that use the provider alone call it).</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            return;
        }

        var configuration = (_options.ConfigurationOptions ?? throw new InvalidOperationException($"Grain storage '{_name}' has no Redis configuration.")).Clone();

        // An outage shows up as failing calls (which the ingest retries with its own backoff), not as a silo that
        // cannot start, nor as writes queued behind a dead connection until they time out.
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        _connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        Log.Connected(_logger, _name, configuration.ToString(includePassword: false));
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);

        // One HGETALL: head and segments come from the same moment, as a write changes them in one script.
        var entries = await Database.HashGetAllAsync(Key(stateName, grainId));
        string? etag = null;
        byte[]? data = null;
        List<StateSegment>? segments = null;
        foreach (var entry in entries)
        {
            var field = (string)entry.Name!;
            if (field == "etag")
            {
                etag = entry.Value;
            }
            else if (field == "data")
            {
                data = entry.Value;
            }
            else if (field.StartsWith(SegmentPrefix, StringComparison.Ordinal)
                && long.TryParse(field.AsSpan(SegmentPrefix.Length), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            {
                (segments ??= []).Add(new StateSegment(id, (byte[])entry.Value!));
            }
        }

        grainState.ETag = etag;
        if (data is null)
        {
            grainState.State = _activators.GetActivator<T>().Create();
            grainState.RecordExists = false;
            return;
        }

        var state = JsonSerializer.Deserialize<T>(data, _options.JsonOptions) ?? _activators.GetActivator<T>().Create();
        if (state is ISegmentedState segmented)
        {
            segments?.Sort(static (a, b) => a.Id.CompareTo(b.Id));
            segmented.RestoreSegments(segments ?? []);
        }

        grainState.State = state;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var segmented = grainState.State as ISegmentedState;
        var segments = segmented?.GetUnsavedSegmentChanges() ?? StateSegmentChanges.None;
        var head = WriteHead(grainState.State);

        // KEYS[k]'s arguments: expected ETag, new ETag, head, added count, dropped count, (id, data) per added, dropped ids.
        var args = new RedisValue[5 + (2 * segments.Added.Count) + segments.Dropped.Count];
        args[0] = grainState.ETag ?? string.Empty;
        args[1] = StateETag.New();
        args[2] = head.WrittenMemory;
        args[3] = segments.Added.Count;
        args[4] = segments.Dropped.Count;
        long bytes = head.WrittenCount;
        var i = 5;
        foreach (var segment in segments.Added)
        {
            args[i++] = segment.Id;
            args[i++] = segment.Data;
            bytes += segment.Data.Length;
        }

        foreach (var id in segments.Dropped)
        {
            args[i++] = id;
        }

        // A failed call leaves the head's array to the collector (see PooledHeadBuffer).
        var (ok, etag) = await _writes.WriteAsync(Key(stateName, grainId), args, bytes);
        head.Return();
        if (!ok)
        {
            throw Stale("write", stateName, grainId, grainState.ETag, etag);
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
        segmented?.MarkSegmentChangesSaved(segments);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(ClearScript, [Key(stateName, grainId)], [grainState.ETag ?? string.Empty, StateETag.New()]))!;
        var etag = (string?)result[1];
        etag = string.IsNullOrEmpty(etag) ? null : etag;
        if ((long)result[0] != 1)
        {
            throw Stale("clear", stateName, grainId, grainState.ETag, etag);
        }

        if (_options.DurabilityCommand is { } durability)
        {
            await Database.ExecuteAsync(durability);
        }

        grainState.ETag = etag;
        grainState.State = _activators.GetActivator<T>().Create();
        grainState.RecordExists = false;
    }

    public void Dispose() => _connection?.Dispose();

    // The same bytes JsonSerializer.SerializeToUtf8Bytes writes, into a pooled array through a writer reused per
    // thread (serializing runs start to end on one thread, with no await inside).
    private PooledHeadBuffer WriteHead<T>(T state)
    {
        var head = new PooledHeadBuffer();
        var writer = t_writer;
        if (writer is null || writer.Options.Encoder != _options.JsonOptions.Encoder)
        {
            writer = t_writer = new Utf8JsonWriter(head, new JsonWriterOptions { Encoder = _options.JsonOptions.Encoder, SkipValidation = true });
        }

        writer.Reset(head);
        try
        {
            JsonSerializer.Serialize(writer, state, _options.JsonOptions);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
        }

        return head;
    }

    /// <summary>The hash a grain state lives in (for tools and tests that read storage directly).</summary>
    public static RedisKey KeyOf(string serviceId, GrainId grainId, string stateName) => $"{serviceId}/segmented/{grainId}/{stateName}";

    private RedisKey Key(string stateName, GrainId grainId) => $"{_keyPrefix}{grainId}/{stateName}";

    private InconsistentStateException Stale(string operation, string stateName, GrainId grainId, string? expected, string? stored) => new(
        string.Create(CultureInfo.InvariantCulture, $"Grain storage '{_name}': {operation} of {grainId}/{stateName} expected ETag '{expected ?? "(none)"}' but storage holds '{stored ?? "(none)"}': another activation wrote it (this one is stale and is deactivated)."),
        stored ?? string.Empty,
        expected ?? string.Empty);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Grain storage {Name} uses Redis at {Configuration}")]
        public static partial void Connected(ILogger logger, string name, string configuration);
    }
}
