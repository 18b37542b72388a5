using System.Collections.Concurrent;
using System.Globalization;
using InventoryOrleans.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace InventoryOrleans.Grains.Publication;

/// <summary>
/// <see cref="IPublicationHistory"/> in the product states' Redis: one hash per input partition,
/// <c>{ServiceId}/publication/{partition}</c>, with field <c>epoch</c> (the last epoch opened) and one field per ended
/// epoch that committed anything (its final committed attempt). Entries never change once written, so they are cached.
/// </summary>
public sealed class RedisPublicationHistory(ConfigurationOptions redis, IOptions<ClusterOptions> cluster) : IPublicationHistory, IDisposable
{
    // KEYS[1]: the partition's hash. ARGV: ended epoch (0: none), its final attempt. Returns the new epoch.
    // HSETNX: an ended epoch's final attempt is written once (a second owner that learns it from Kafka agrees).
    private const string BeginScript = """
        local ended = tonumber(ARGV[1])
        if ended > 0 then redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) end
        local last = tonumber(redis.call('HGET', KEYS[1], 'epoch') or '0')
        if last < ended then last = ended end
        last = last + 1
        redis.call('HSET', KEYS[1], 'epoch', last)
        return last
        """;

    private readonly string _prefix = $"{cluster.Value.ServiceId}/publication/";
    private readonly ConcurrentDictionary<(int Partition, long Epoch), long> _ended = new();
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    public async ValueTask<long> CommittedInAsync(int partition, long epoch, CancellationToken cancellationToken = default)
    {
        if (_ended.TryGetValue((partition, epoch), out var committed))
        {
            return committed;
        }

        var database = await DatabaseAsync(cancellationToken);
        var stored = await database.HashGetAsync(Key(partition), epoch.ToString(CultureInfo.InvariantCulture));

        // No entry: the epoch ended without committing (its successor records the last epoch that committed anything).
        committed = stored.HasValue ? (long)stored : 0;
        _ended[(partition, epoch)] = committed;
        return committed;
    }

    public async Task<long> BeginEpochAsync(int partition, PublicationMark ended, CancellationToken cancellationToken = default)
    {
        var database = await DatabaseAsync(cancellationToken);
        var epoch = (long)await database.ScriptEvaluateAsync(BeginScript, [Key(partition)], [ended.Epoch, ended.Attempt]);
        if (ended.Epoch > 0)
        {
            _ended.TryAdd((partition, ended.Epoch), ended.Attempt);
        }

        return epoch;
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _connecting.Dispose();
    }

    private RedisKey Key(int partition) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}{partition}");

    private async ValueTask<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } connected)
        {
            return connected.GetDatabase();
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_connection is null)
            {
                var configuration = redis.Clone();

                // Like the product storage: an outage is a failing call the caller retries, not a hang.
                configuration.AbortOnConnectFail = false;
                configuration.BacklogPolicy = BacklogPolicy.FailFast;
                _connection = await ConnectionMultiplexer.ConnectAsync(configuration);
            }

            return _connection.GetDatabase();
        }
        finally
        {
            _connecting.Release();
        }
    }
}
