using InventoryOrleans.DevBroker;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Ingest.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.Bench.Hosting;

/// <summary>
/// What a benchmark's silos run against: the DevBroker (and its schema registry) on free ports with a file-backed log in a temporary folder
/// (as the embedded silo runs it: an in-memory log would hold every record of the run on the managed heap this process
/// shares with the silos, and bill them for collecting a broker's data), a throwaway Redis (<see cref="BenchStore"/>:
/// redis-server without persistence unless another store is asked for), and the inventory topics created. Disposing
/// stops both and deletes their data.
/// </summary>
public sealed class BenchBackends : IAsyncDisposable
{
    private readonly string _logDir;

    private BenchBackends(string logDir, DevBrokerServer broker, BenchStore redis, int partitions)
    {
        _logDir = logDir;
        Broker = broker;
        Redis = redis;
        Partitions = partitions;
    }

    public DevBrokerServer Broker { get; }

    public BenchStore Redis { get; }

    /// <summary>The broker's schema registry (on a free port), for Avro runs.</summary>
    public string SchemaRegistryUrl => Broker.SchemaRegistryUrl!;

    /// <summary>Partitions per input topic.</summary>
    public int Partitions { get; }

    /// <summary>
    /// Starts both; <paramref name="initialRebalanceDelayMs"/> is the broker's group.initial.rebalance.delay.ms,
    /// <paramref name="store"/> one of <see cref="BenchStore.Kinds"/>.
    /// </summary>
    public static async Task<BenchBackends> StartAsync(string name, int initialRebalanceDelayMs = 0, string store = "memory")
    {
        var logDir = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}");
        DevBrokerServer? broker = null;
        BenchStore? redis = null;
        try
        {
            broker = await DevBrokerServer.StartAsync(new DevBrokerOptions { Port = 0, SchemaRegistryPort = 0, DataDir = logDir, GroupInitialRebalanceDelayMs = initialRebalanceDelayMs });
            redis = BenchStore.Start(store);
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
