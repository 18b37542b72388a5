using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.Runtime.Storage.Redis;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Cluster.Tests;

/// <summary>
/// The project's test cluster: one DevBroker (log in a temporary folder), one real Redis server (append-only file,
/// so a Redis restart keeps acknowledged writes) and N silos in this process, each with its own host and DI
/// container, runtime, consumer and producer, all in one consumer group.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly List<TestSilo> _silos = [];
    private readonly string _redisDir;
    private readonly Dictionary<string, string?> _settings;
    private int _nextSilo;

    private TestCluster(BrokerFixture broker, RedisServer redis, string redisDir, Dictionary<string, string?> settings)
    {
        _redisDir = redisDir;
        Broker = broker;
        Redis = redis;
        _settings = settings;
        Client = new KafkaTestClient(broker.BootstrapServers);
    }

    public BrokerFixture Broker { get; }

    public RedisServer Redis { get; }

    public KafkaTestClient Client { get; }

    /// <summary>Silos started and not stopped or killed.</summary>
    public IReadOnlyList<TestSilo> Silos => _silos;

    public const string GroupId = "inventory-silo";

    /// <summary>Starts the broker, Redis and <paramref name="silos"/> silos, and waits until they share every partition.</summary>
    public static async Task<TestCluster> StartAsync(int silos, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var broker = await BrokerFixture.StartAsync();
        var redisDir = Path.Combine(Path.GetTempPath(), "cluster-redis-" + Guid.NewGuid().ToString("N"));
        var redis = await RedisServer.StartNewAsync(redisDir);
        var merged = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = broker.BootstrapServers,
            ["Kafka:MaxBatchSize"] = "1000",
            ["Storage:Provider"] = "Redis",
            ["Storage:Redis"] = redis.ConnectionString,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        var cluster = new TestCluster(broker, redis, redisDir, merged);
        for (var i = 0; i < silos; i++)
        {
            await cluster.StartSiloAsync();
        }

        await cluster.WaitForStableAssignmentAsync();
        return cluster;
    }

    /// <summary>Starts one more silo (it joins the group; call <see cref="WaitForStableAssignmentAsync"/> to wait for the rebalance).</summary>
    public async Task<TestSilo> StartSiloAsync()
    {
        var silo = await TestSilo.StartAsync($"silo-{++_nextSilo}", _settings);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Graceful stop: the silo finishes its batch, commits, leaves the group.</summary>
    public async Task StopSiloAsync(TestSilo silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        _silos.Remove(silo);
        await silo.StopAsync();
    }

    /// <summary>Crash: no persist, no commit, no LeaveGroup; the group notices by session timeout (6 s here).</summary>
    public async Task KillSiloAsync(TestSilo silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        _silos.Remove(silo);
        await silo.KillAsync();
    }

    /// <summary>
    /// Waits until the live silos own all partitions between them, each partition exactly once, and (while there are
    /// no more silos than partitions) every silo owns some — so a rebalance that has not started yet does not count.
    /// </summary>
    public async Task WaitForStableAssignmentAsync(TimeSpan? timeout = null)
    {
        var partitions = Client.Partitions(Topics.Events).Count;
        await Eventually.TrueAsync(
            () =>
            {
                var owned = _silos.SelectMany(s => s.Ownership.Owned).ToList();
                return owned.Count == partitions && owned.Distinct().Count() == partitions
                    && (_silos.Count > partitions || _silos.All(s => s.Ownership.Owned.Count > 0));
            },
            timeout ?? TimeSpan.FromSeconds(60),
            $"the {_silos.Count} live silos own all {partitions} partitions, each once");
    }

    /// <summary>Waits until the group has committed every input message (the end of every input partition).</summary>
    public Task WaitForAllCommittedAsync(TimeSpan timeout) => Eventually.TrueAsync(
        () => Topics.Inputs.All(topic =>
        {
            var committed = Client.Committed(GroupId, topic);
            return Client.Ends(topic).All(end => end.Value == 0 || committed.GetValueOrDefault(end.Key) == end.Value);
        }),
        timeout,
        "the group committed the end of every input partition");

    /// <summary>Checks the run against the reference model (see <see cref="PipelineVerifier"/>).</summary>
    public Task<VerificationSummary> VerifyAsync(int allowedUnpublished = 0)
    {
        var connection = new RedisGrainConnection(Redis.ConnectionString);
        return new PipelineVerifier(Client, new RedisGrainStorage(connection)).VerifyAsync(allowedUnpublished);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos.ToList())
        {
            await silo.StopAsync();
        }

        Client.Dispose();
        await Redis.DisposeAsync();
        await Broker.DisposeAsync();
        try
        {
            Directory.Delete(_redisDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
