using System.Collections.Concurrent;
using StackExchange.Redis;

namespace InventoryOrleans.Grains.Storage;

/// <summary>
/// Sends concurrent grain writes to Redis as one script call over many keys. Each key is still checked against its
/// own ETag and written only if it matches, inside one atomic script, so batching changes no write's outcome — it only
/// saves the per-command cost (client message, timeout, completion; server dispatch) that dominated when a Kafka batch
/// touched thousands of products. A write that finds a free call slot goes out at once: batches form only from writes
/// that arrive while every slot is on the wire, so a lone write waits for nobody.
/// </summary>
internal sealed class RedisWriteBatcher(Func<IDatabase> database, int maxKeys, int maxBytes, int maxInFlight, string? durabilityCommand)
{
    // KEYS: the state keys. ARGV, per key in order: expected ETag ('' for none), new ETag, head, added-segment count,
    // dropped-segment count, then (id, data) per added segment, then the dropped ids.
    // Returns, per key: 1 and the new ETag, or 0 and the stored ETag ('' when none).
    private const string Script = """
        local results = {}
        local a = 1
        for k = 1, #KEYS do
            local key = KEYS[k]
            local added = tonumber(ARGV[a + 3])
            local dropped = tonumber(ARGV[a + 4])
            local stored = redis.call('HGET', key, 'etag')
            if not stored then stored = '' end
            if stored ~= ARGV[a] then
                results[#results + 1] = 0
                results[#results + 1] = stored
                a = a + 5 + 2 * added + dropped
            else
                local etag = ARGV[a + 1]
                redis.call('HSET', key, 'etag', etag, 'data', ARGV[a + 2])
                a = a + 5
                for n = 1, added do
                    redis.call('HSET', key, 'seg:' .. ARGV[a], ARGV[a + 1])
                    a = a + 2
                end
                for n = 1, dropped do
                    redis.call('HDEL', key, 'seg:' .. ARGV[a])
                    a = a + 1
                end
                results[#results + 1] = 1
                results[#results + 1] = etag
            end
        end
        return results
        """;

    private readonly ConcurrentQueue<PendingWrite> _queue = new();
    private int _inFlight;

    /// <summary>Queues one write; completes with (true, new ETag) or (false, stored ETag or null) when its call returns.</summary>
    public Task<(bool Ok, string? Etag)> WriteAsync(RedisKey key, RedisValue[] args, long bytes)
    {
        var write = new PendingWrite(key, args, bytes);
        _queue.Enqueue(write);
        Pump();
        return write.Completion.Task;
    }

    // Starts calls while there are queued writes and fewer than maxInFlight calls on the wire. Every finished call
    // pumps again, and a pump that found the queue empty re-checks it after giving its slot back, so no write is left
    // queued with nobody to send it.
    private void Pump()
    {
        while (!_queue.IsEmpty)
        {
            var inFlight = Volatile.Read(ref _inFlight);
            if (inFlight >= maxInFlight)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _inFlight, inFlight + 1, inFlight) != inFlight)
            {
                continue;
            }

            var batch = Take();
            if (batch.Count == 0)
            {
                Interlocked.Decrement(ref _inFlight);
                continue;
            }

            _ = SendAsync(batch);
        }
    }

    private List<PendingWrite> Take()
    {
        var batch = new List<PendingWrite>();
        var bytes = 0L;
        while (batch.Count < maxKeys && bytes < maxBytes && _queue.TryDequeue(out var write))
        {
            batch.Add(write);
            bytes += write.Bytes;
        }

        return batch;
    }

    private async Task SendAsync(List<PendingWrite> batch)
    {
        try
        {
            var keys = new RedisKey[batch.Count];
            var argCount = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                keys[i] = batch[i].Key;
                argCount += batch[i].Args.Length;
            }

            var args = new RedisValue[argCount];
            var at = 0;
            foreach (var write in batch)
            {
                write.Args.CopyTo(args, at);
                at += write.Args.Length;
            }

            var result = await database().ScriptEvaluateAsync(Script, keys, args);
            var parts = (RedisResult[])result!;
            if (durabilityCommand is not null)
            {
                // One barrier for the whole call: its answer means every write of the call is durable.
                await database().ExecuteAsync(durabilityCommand);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                var etag = (string?)parts[(2 * i) + 1];
                batch[i].Completion.TrySetResult(((long)parts[2 * i] == 1, string.IsNullOrEmpty(etag) ? null : etag));
            }
        }
        catch (Exception e)
        {
            // The whole call failed (connection, timeout, script error): every write in it fails with the cause, and
            // each grain reloads before its next call, as after any failed write.
            foreach (var write in batch)
            {
                write.Completion.TrySetException(e);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            Pump();
        }
    }

    private sealed class PendingWrite(RedisKey key, RedisValue[] args, long bytes)
    {
        public RedisKey Key { get; } = key;

        public RedisValue[] Args { get; } = args;

        public long Bytes { get; } = bytes;

        // Completed off the connection's completion thread, so one grain's continuation never holds up the others'.
        public TaskCompletionSource<(bool Ok, string? Etag)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
