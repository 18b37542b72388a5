using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace InventoryOrleans.Ingest.Rollback;

/// <summary>
/// The ingest's progress record, in the same Redis as the product state: hash <c>{ServiceId}/ingest-progress</c>, one
/// field per input topic-partition (<c>topic/partition</c>) holding the offset after the last batch whose grain writes
/// were all acknowledged. The pipeline writes it after a batch's grain writes and before committing the batch's offsets
/// to Kafka, so — the store's append-only file (or replication stream) being one sequence — storage that lost a grain
/// write of a committed batch lost that batch's progress too and shows it behind the committed offset. A write only
/// raises a field (a silo that lost its partitions cannot move it back) and answers what it held before. Beside it,
/// hash <c>{ServiceId}/ingest-rollbacks</c> keeps per topic-partition the offset range (<c>from:to</c>) whose products
/// were found rolled back and are not repaired yet, so the finding outlives the silo that made it.
/// </summary>
public sealed class IngestProgressStore : IDisposable
{
    // KEYS[1]: the progress hash. ARGV: (field, offset) pairs. Raises each field to its offset unless it holds more;
    // returns each field's value before ('' when it had none).
    private const string AdvanceScript = """
        local before = {}
        for i = 1, #ARGV, 2 do
            local held = redis.call('HGET', KEYS[1], ARGV[i])
            before[#before + 1] = held or ''
            if not held or tonumber(held) < tonumber(ARGV[i + 1]) then
                redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
            end
        end
        return before
        """;

    // KEYS[1]: the rollbacks hash. ARGV: field, range. Widens the field's range to hold the new one.
    private const string MarkScript = """
        local held = redis.call('HGET', KEYS[1], ARGV[1])
        local from, to = string.match(ARGV[2], '^(%d+):(%d+)$')
        from, to = tonumber(from), tonumber(to)
        if held then
            local heldFrom, heldTo = string.match(held, '^(%d+):(%d+)$')
            if heldFrom then
                from = math.min(from, tonumber(heldFrom))
                to = math.max(to, tonumber(heldTo))
            end
        end
        redis.call('HSET', KEYS[1], ARGV[1], string.format('%d:%d', from, to))
        return 1
        """;

    // KEYS[1]: the rollbacks hash. ARGV: field, range. Deletes the field only while it holds no more than that range
    // (a wider one was marked meanwhile and still needs its check).
    private const string ClearScript = """
        local held = redis.call('HGET', KEYS[1], ARGV[1])
        if not held then return 1 end
        local heldFrom, heldTo = string.match(held, '^(%d+):(%d+)$')
        local from, to = string.match(ARGV[2], '^(%d+):(%d+)$')
        if heldFrom and tonumber(heldFrom) >= tonumber(from) and tonumber(heldTo) <= tonumber(to) then
            redis.call('HDEL', KEYS[1], ARGV[1])
            return 1
        end
        return 0
        """;

    private readonly ConfigurationOptions _redis;
    private readonly RedisKey _progressKey;
    private readonly RedisKey _rollbacksKey;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    public IngestProgressStore(ConfigurationOptions redis, IOptions<ClusterOptions> cluster)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(cluster);
        _redis = redis;
        _progressKey = ProgressKeyOf(cluster.Value.ServiceId);
        _rollbacksKey = RollbacksKeyOf(cluster.Value.ServiceId);
    }

    /// <summary>The progress hash of a deployment (for operators and tests).</summary>
    public static RedisKey ProgressKeyOf(string serviceId) => $"{serviceId}/ingest-progress";

    /// <summary>The hash of unrepaired rolled-back ranges of a deployment (for operators and tests).</summary>
    public static RedisKey RollbacksKeyOf(string serviceId) => $"{serviceId}/ingest-rollbacks";

    /// <summary>The field of a topic-partition in both hashes.</summary>
    public static string FieldOf(TopicPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        return string.Create(CultureInfo.InvariantCulture, $"{partition.Topic}/{partition.Partition.Value}");
    }

    /// <summary>Raises each topic-partition's progress to its offset (never lowers it); returns what each held before (null: nothing).</summary>
    public async Task<IReadOnlyList<long?>> AdvanceAsync(IReadOnlyList<TopicPartitionOffset> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        var args = new RedisValue[offsets.Count * 2];
        for (var i = 0; i < offsets.Count; i++)
        {
            args[2 * i] = FieldOf(offsets[i].TopicPartition);
            args[(2 * i) + 1] = offsets[i].Offset.Value;
        }

        var before = (RedisResult[])(await (await DatabaseAsync()).ScriptEvaluateAsync(AdvanceScript, [_progressKey], args))!;
        return [.. before.Select(b => ParseOffset((string?)b))];
    }

    /// <summary>Each topic-partition's progress (null: none recorded).</summary>
    public async Task<IReadOnlyList<long?>> ReadAsync(IReadOnlyList<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var values = await (await DatabaseAsync()).HashGetAsync(_progressKey, [.. partitions.Select(p => (RedisValue)FieldOf(p))]);
        return [.. values.Select(v => ParseOffset(v))];
    }

    /// <summary>Each topic-partition's unrepaired rolled-back range (null: none).</summary>
    public async Task<IReadOnlyList<OffsetRange?>> ReadRolledBackAsync(IReadOnlyList<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var values = await (await DatabaseAsync()).HashGetAsync(_rollbacksKey, [.. partitions.Select(p => (RedisValue)FieldOf(p))]);
        return [.. values.Select(v => OffsetRange.Parse(v))];
    }

    /// <summary>Records that products of <paramref name="range"/> rolled back (widening what is recorded).</summary>
    public async Task MarkRolledBackAsync(TopicPartition partition, OffsetRange range) =>
        await (await DatabaseAsync()).ScriptEvaluateAsync(MarkScript, [_rollbacksKey], [FieldOf(partition), range.Format()]);

    /// <summary>Forgets the partition's rolled-back range, unless a wider one than <paramref name="range"/> was recorded meanwhile.</summary>
    public async Task ClearRolledBackAsync(TopicPartition partition, OffsetRange range) =>
        await (await DatabaseAsync()).ScriptEvaluateAsync(ClearScript, [_rollbacksKey], [FieldOf(partition), range.Format()]);

    public void Dispose()
    {
        _connection?.Dispose();
        _connecting.Dispose();
    }

    private static long? ParseOffset(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var offset) ? offset : null;

    private async Task<IDatabase> DatabaseAsync()
    {
        if (Volatile.Read(ref _connection) is { } connected)
        {
            return connected.GetDatabase();
        }

        await _connecting.WaitAsync();
        try
        {
            if (_connection is null)
            {
                var configuration = _redis.Clone();

                // As the grain storage: an outage shows as failing calls (retried by the pipeline), never as writes
                // queued behind a dead connection.
                configuration.AbortOnConnectFail = false;
                configuration.BacklogPolicy = BacklogPolicy.FailFast;
                configuration.ClientName = "inventory-ingest-progress";
                Volatile.Write(ref _connection, await ConnectionMultiplexer.ConnectAsync(configuration));
            }

            return _connection!.GetDatabase();
        }
        finally
        {
            _connecting.Release();
        }
    }
}
