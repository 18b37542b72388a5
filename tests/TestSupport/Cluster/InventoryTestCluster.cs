using InventoryOrleans.Api.Health;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Placement;
using InventoryOrleans.Ingest;
using InventoryOrleans.Ingest.Health;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Silo.Hosting;
using InventoryOrleans.TestSupport.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace InventoryOrleans.TestSupport.Cluster;

/// <summary>
/// The inventory service under test: Orleans' <see cref="InProcessTestCluster"/> with N silos composed exactly like
/// the silo executable (<see cref="InventorySiloBuilderExtensions.AddInventorySilo"/>: reminders, pub-sub store and
/// product storage on Redis, plus the ingest pipeline; membership is the test cluster's own in-process table, Redis
/// membership is covered by the tests of the executable), one in-process DevBroker (log in a temporary folder)
/// and one real <c>redis-server</c> (append-only file, so a Redis restart keeps acknowledged writes).
/// </summary>
public sealed class InventoryTestCluster : IAsyncDisposable
{
    public const string GroupId = "inventory-silo";

    private readonly string _redisDir;

    private InventoryTestCluster(InProcessTestCluster cluster, BrokerFixture? broker, RedisServer redis, string redisDir, bool transactions)
    {
        Orleans = cluster;
        Transactions = transactions;
        Broker = broker;
        Redis = redis;
        _redisDir = redisDir;
        Client = broker is null ? null : new KafkaTestClient(broker.BootstrapServers);
        Stored = new StoredProducts(redis.ConnectionString, cluster.Options.ServiceId);
    }

    public InProcessTestCluster Orleans { get; }

    /// <summary>Whether the silos commit in Kafka transactions (<c>Kafka:Transactions</c>, on unless a test turns it off).</summary>
    public bool Transactions { get; }

    /// <summary>The broker; null for a cluster started without ingest.</summary>
    public BrokerFixture? Broker { get; }

    public RedisServer Redis { get; }

    /// <summary>A Kafka client of the broker; null for a cluster started without ingest.</summary>
    public KafkaTestClient? Client { get; }

    /// <summary>Product state as stored in Redis.</summary>
    public StoredProducts Stored { get; }

    /// <summary>The cluster's Orleans client (a gateway client, like an Api host).</summary>
    public IClusterClient Grains => Orleans.Client;

    /// <summary>The silos running now.</summary>
    public IReadOnlyList<InProcessSiloHandle> Silos => Orleans.Silos;

    /// <summary>
    /// Starts the broker (unless <paramref name="ingest"/> is false), Redis and <paramref name="silos"/> silos, and
    /// with ingest waits until they share every partition. <paramref name="settings"/> are configuration keys of the
    /// silos (<c>Kafka:MaxBatchSize</c>, <c>ProductGrain:ExpiryRetryPeriod</c>, …).
    /// </summary>
    public static async Task<InventoryTestCluster> StartAsync(int silos, IReadOnlyDictionary<string, string?>? settings = null, bool ingest = true)
    {
        var broker = ingest ? await BrokerFixture.StartAsync() : null;
        var redisDir = Path.Combine(Path.GetTempPath(), "cluster-redis-" + Guid.NewGuid().ToString("N"));
        var redis = await RedisServer.StartNewAsync(redisDir);
        var redisOptions = ConfigurationOptions.Parse(redis.ConnectionString);
        var configuration = new Dictionary<string, string?>
        {
            ["Kafka:MaxBatchSize"] = "1000",

            // A killed silo's partitions move after the session timeout: short here so failure tests stay short.
            ["Kafka:SessionTimeoutMs"] = "6000",
            ["Kafka:HeartbeatIntervalMs"] = "500",
        };
        if (broker is not null)
        {
            configuration["Kafka:BootstrapServers"] = broker.BootstrapServers;
            configuration["SchemaRegistry:Url"] = broker.SchemaRegistryUrl;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((silo, host) =>
        {
            host.Configuration.AddInMemoryCollection(configuration);
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Kafka:ClientId"] = silo.SiloName });
            host.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            host.Logging.AddFilter("InventoryOrleans.Ingest.Pipeline", LogLevel.Information);
            host.Logging.AddFilter("InventoryOrleans.Ingest.Rollback", LogLevel.Information);

            // What the silo logged, for tests that assert an operator's log lines (Service<CapturedLogs>).
            var captured = new CapturedLogs();
            host.Services.AddSingleton(captured);
            host.Logging.AddProvider(captured);

            // Outage tests make grain calls and Orleans' own Redis calls fail for a while; the pipeline tells the story.
            host.Logging.AddFilter("Orleans", LogLevel.Error);
            host.Logging.AddFilter("InventoryOrleans.Grains", LogLevel.Error);
            host.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
            // Membership is the test cluster's own (in process); everything else is on the real Redis, as in production.
            host.UseOrleans(orleans => orleans.AddInventorySilo(host.Configuration, redisOptions, redisClustering: false));
            if (ingest)
            {
                host.AddInventoryIngest(redisOptions);

                // The health check service as the executable has it (through AddInventoryApi): each check run at most
                // every two seconds, which the ingest's stats probe every second.
                host.Services.AddInventoryHealth();

                // The fault point tests reach through Service<BatchFaults>(silo); a silo's own composition has none.
                host.Services.AddSingleton<BatchFaults>();
                host.Services.AddSingleton<IBatchFaultInjector>(services => services.GetRequiredService<BatchFaults>());
            }
        });

        // The client is what an Api host is: its grain calls join the caller's trace.
        builder.ConfigureClient(client => client.AddActivityPropagation());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var transactions = !string.Equals(configuration.GetValueOrDefault("Kafka:Transactions"), "false", StringComparison.OrdinalIgnoreCase);
        var inventory = new InventoryTestCluster(cluster, broker, redis, redisDir, transactions);
        if (ingest)
        {
            await inventory.WaitForStableAssignmentAsync();
        }

        return inventory;
    }

    /// <summary>A silo's service (its pipeline, ownership, health, metrics, activations…).</summary>
    public static T Service<T>(InProcessSiloHandle silo)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.SiloHost.Services.GetRequiredService<T>();
    }

    public static PartitionOwnership Ownership(InProcessSiloHandle silo) => Service<PartitionOwnership>(silo);

    public static IngestHealth Health(InProcessSiloHandle silo) => Service<IngestHealth>(silo);

    public static IngestMetrics Metrics(InProcessSiloHandle silo) => Service<IngestMetrics>(silo);

    public static LocalProductActivations Activations(InProcessSiloHandle silo) => Service<LocalProductActivations>(silo);

    /// <summary>Starts one more silo (it joins the cluster and the group; <see cref="WaitForStableAssignmentAsync"/> waits for the rebalance).</summary>
    public Task<InProcessSiloHandle> StartSiloAsync() => Orleans.StartAdditionalSiloAsync();

    /// <summary>Graceful stop: the silo finishes its batch, commits, leaves the group and the cluster.</summary>
    public Task StopSiloAsync(InProcessSiloHandle silo) => Orleans.StopSiloAsync(silo);

    /// <summary>
    /// Crash: the pipeline stops at once (no persist, publish or commit) and its consumer is dropped without leaving
    /// the group (the group notices by session timeout); the silo stops without leaving the Orleans cluster (the
    /// others notice by failed probes).
    /// </summary>
    public async Task KillSiloAsync(InProcessSiloHandle silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (silo.SiloHost.Services.GetService<IngestPipeline>() is { } pipeline)
        {
            pipeline.Kill();
        }

        await Orleans.KillSiloAsync(silo);
    }

    /// <summary>
    /// Waits until the live silos own all partitions between them, each partition exactly once, and (while there are
    /// no more silos than partitions) every silo owns some — so a rebalance that has not started yet does not count.
    /// </summary>
    public async Task WaitForStableAssignmentAsync(TimeSpan? timeout = null)
    {
        var partitions = Client!.Partitions(Topics.Events).Count;
        await Eventually.TrueAsync(
            () =>
            {
                var silos = Silos;
                var owned = silos.SelectMany(s => Ownership(s).Owned).ToList();
                return owned.Count == partitions && owned.Distinct().Count() == partitions
                    && (silos.Count > partitions || silos.All(s => Ownership(s).Owned.Count > 0));
            },
            timeout ?? TimeSpan.FromSeconds(60),
            $"the {Silos.Count} live silos own all {partitions} partitions, each once");
    }

    /// <summary>Waits until the group has committed every input message (the end of every input partition).</summary>
    public Task WaitForAllCommittedAsync(TimeSpan timeout) => Eventually.TrueAsync(
        () => Topics.Inputs.All(topic =>
        {
            var committed = Client!.Committed(GroupId, topic);
            return Client.Ends(topic).All(end => end.Value == 0 || committed.GetValueOrDefault(end.Key) == end.Value);
        }),
        timeout,
        "the group committed the end of every input partition");

    /// <summary>Checks the run against the reference model (see <see cref="PipelineVerifier"/>), strictly when the silos commit in transactions.</summary>
    public Task<VerificationSummary> VerifyAsync() => new PipelineVerifier(Client!, Stored, strict: Transactions).VerifyAsync();

    public async ValueTask DisposeAsync()
    {
        await Orleans.DisposeAsync();
        Client?.Dispose();
        await Stored.DisposeAsync();
        await Redis.DisposeAsync();
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        try
        {
            Directory.Delete(_redisDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
