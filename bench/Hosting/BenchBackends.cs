using InventoryOrleans.DevBroker;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.Bench.Hosting;

/// <summary>
/// What a benchmark's silos run against: the DevBroker on a free port with a file-backed log in a temporary folder
/// (as the embedded silo runs it: an in-memory log would hold every record of the run on the managed heap this process
/// shares with the silos, and bill them for collecting a broker's data), a throwaway redis-server, and the inventory
/// topics created. Disposing stops both and deletes the log.
/// </summary>
public sealed class BenchBackends : IAsyncDisposable
{
    private readonly string _logDir;

    private BenchBackends(string logDir, DevBrokerServer broker, LocalRedis redis, int partitions)
    {
        _logDir = logDir;
        Broker = broker;
        Redis = redis;
        Partitions = partitions;
    }

    public DevBrokerServer Broker { get; }

    public LocalRedis Redis { get; }

    /// <summary>Partitions per input topic.</summary>
    public int Partitions { get; }

    /// <summary>Starts both; <paramref name="initialRebalanceDelayMs"/> is the broker's group.initial.rebalance.delay.ms.</summary>
    public static async Task<BenchBackends> StartAsync(string name, int initialRebalanceDelayMs = 0)
    {
        var logDir = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}");
        DevBrokerServer? broker = null;
        LocalRedis? redis = null;
        try
        {
            broker = await DevBrokerServer.StartAsync(new DevBrokerOptions { Port = 0, DataDir = logDir, GroupInitialRebalanceDelayMs = initialRebalanceDelayMs });
            redis = LocalRedis.Start();
            var partitions = await new TopicBootstrapper(
                    Microsoft.Extensions.Options.Options.Create(new KafkaOptions { BootstrapServers = broker.BootstrapServers }),
                    TimeProvider.System,
                    NullLogger<TopicBootstrapper>.Instance)
                .EnsureTopicsAsync(CancellationToken.None);
            return new BenchBackends(logDir, broker, redis, partitions);
        }
        catch
        {
            redis?.Dispose();
            if (broker is not null)
            {
                await broker.DisposeAsync();
            }

            DeleteLog(logDir);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Redis.Dispose();
        await Broker.DisposeAsync();
        DeleteLog(_logDir);
    }

    private static void DeleteLog(string logDir)
    {
        if (Directory.Exists(logDir))
        {
            Directory.Delete(logDir, recursive: true);
        }
    }
}
