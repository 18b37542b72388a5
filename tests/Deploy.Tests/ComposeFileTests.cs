using System.Text.Json;
using InventoryOrleans.Deploy.Tests.Compose;
using InventoryOrleans.Deploy.Tests.Docker;

namespace InventoryOrleans.Deploy.Tests;

/// <summary>
/// docker-compose.yml as Debian's docker-compose 1.29 reads it (<c>config</c> validates without a Docker engine): the
/// services, their start order on health, the settings the silos and the Api host need, the published ports.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string[] Silos = ["silo1", "silo2"];
    private static readonly string[] Hosts = ["silo1", "silo2", "api"];

    [Fact]
    public async Task Config_ComposeFile_PassesWithoutWarnings()
    {
        var config = await DockerCompose.RunAsync(["config"]);
        var quiet = await DockerCompose.RunAsync(["config", "-q"]);

        Assert.True(config.ExitCode == 0, config.ToString());
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.Equal("", quiet.Output);
        Assert.DoesNotContain("WARN", config.Error + quiet.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Services_ComposeFile_AreKafkaSchemaRegistryRedisTwoSilosOneApiHostAndJaeger()
    {
        var services = await DockerCompose.RunAsync(["config", "--services"]);

        Assert.True(services.ExitCode == 0, services.ToString());
        Assert.Equal(
            ["api", "jaeger", "kafka", "redis", "schema-registry", "silo1", "silo2"],
            services.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Kafka_ComposeFile_IsOneKraftNodeWithAnInternalListenerTheHostsUseAndAHealthcheck()
    {
        var kafka = Service(await DockerCompose.ConfigAsync(), "kafka");
        var env = kafka.Environment;

        Assert.StartsWith("apache/kafka:", kafka.Image, StringComparison.Ordinal);
        Assert.Equal("broker,controller", env["KAFKA_PROCESS_ROLES"]);
        Assert.Equal("1@kafka:9093", env["KAFKA_CONTROLLER_QUORUM_VOTERS"]);
        Assert.Contains("INTERNAL://kafka:9092", env["KAFKA_ADVERTISED_LISTENERS"].Split(','));
        Assert.Equal("1", env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"]);

        // Only the silos create topics: an auto-created input topic would have one partition.
        Assert.Equal("false", env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"]);
        Assert.Contains(kafka.Volumes, v => v.StartsWith("kafka-data:" + env["KAFKA_LOG_DIRS"], StringComparison.Ordinal));
        var health = Assert.IsAssignableFrom<IReadOnlyList<string>>(kafka.HealthcheckTest);
        Assert.Contains("kafka:9092", health[^1], StringComparison.Ordinal);

        // The host side is for operators on the Docker host only.
        Assert.All(kafka.Ports, p => Assert.Equal("127.0.0.1", p.HostIp));
    }

    [Fact]
    public async Task Redis_ComposeFile_KeepsAnAppendOnlyFileSyncedBeforeEachAnswerOnAVolumeAndAnswersItsHealthcheck()
    {
        var redis = Service(await DockerCompose.ConfigAsync(), "redis");

        Assert.StartsWith("redis:", redis.Image, StringComparison.Ordinal);
        var appendOnly = redis.Command.ToList().IndexOf("--appendonly");
        Assert.True(appendOnly >= 0 && redis.Command[appendOnly + 1] == "yes", string.Join(' ', redis.Command));

        // A write is answered only once durable: the silos commit Kafka offsets once their grain writes are answered.
        var appendFsync = redis.Command.ToList().IndexOf("--appendfsync");
        Assert.True(appendFsync >= 0 && redis.Command[appendFsync + 1] == "always", string.Join(' ', redis.Command));
        Assert.Contains(redis.Volumes, v => v.StartsWith("redis-data:/data", StringComparison.Ordinal));
        var health = Assert.IsAssignableFrom<IReadOnlyList<string>>(redis.HealthcheckTest);
        Assert.Contains("redis-cli ping", string.Join(' ', health), StringComparison.Ordinal);
        Assert.All(redis.Ports, p => Assert.Equal("127.0.0.1", p.HostIp));
    }

    [Fact]
    public async Task Silos_ComposeFile_BuildTheSiloImageAndStartOnceKafkaAndRedisAreHealthy()
    {
        var config = await DockerCompose.ConfigAsync();

        foreach (var name in Silos)
        {
            var silo = Service(config, name);
            Assert.Equal("Silo/Dockerfile", silo.Dockerfile);
            Assert.Equal(Repository.Root, silo.BuildContext);
            Assert.Equal("service_healthy", silo.DependsOn["kafka"]);
            Assert.Equal("service_healthy", silo.DependsOn["redis"]);

            // Time to finish the batch, commit and leave the group and the cluster on SIGTERM.
            Assert.Equal("40s", silo.Text("stop_grace_period"));
        }
    }

    [Fact]
    public async Task Silos_ComposeFile_AdvertiseTheirServiceNameAndCreateTwelvePartitions()
    {
        var config = await DockerCompose.ConfigAsync();

        foreach (var name in Silos)
        {
            var env = Service(config, name).Environment;
            Assert.Equal(name, env["Orleans__AdvertisedIP"]);
            Assert.Equal("12", env["Kafka__Partitions"]);
            Assert.Equal("11111", env["Orleans__SiloPort"]);
            Assert.Equal("30000", env["Orleans__GatewayPort"]);
        }
    }

    [Fact]
    public async Task Hosts_ComposeFile_ShareKafkaRedisClusterIdentityAndKeysAndNeverStartTheEmbeddedOnes()
    {
        var config = await DockerCompose.ConfigAsync();
        var kafka = Service(config, "kafka").Environment;
        var internalListener = kafka["KAFKA_ADVERTISED_LISTENERS"].Split(',').Single(l => l.StartsWith("INTERNAL://", StringComparison.Ordinal));

        foreach (var name in Hosts)
        {
            var env = Service(config, name).Environment;
            Assert.Equal(internalListener["INTERNAL://".Length..], env["Kafka__BootstrapServers"]);
            Assert.Equal("redis:6379", env["Redis__ConnectionString"]);
            Assert.Equal("inventory", env["Orleans__ClusterId"]);
            Assert.Equal("inventory-orleans", env["Orleans__ServiceId"]);

            // Listening on 0.0.0.0 in the container, a host without keys refuses to start; the keys are the operator's own.
            Assert.Equal(DockerCompose.Keys, env["Api__Keys"]);
            Assert.DoesNotContain(env.Keys, k => k.StartsWith("Garnet__", StringComparison.Ordinal) || k.StartsWith("DevBroker__", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ApiKeys_InventoryApiKeysSet_ReachEverySiloAndTheApiHost()
    {
        var config = await DockerCompose.ConfigAsync(new Dictionary<string, string?> { ["INVENTORY_API_KEYS"] = "k-one,k-two" });

        Assert.All(Hosts, name => Assert.Equal("k-one,k-two", Service(config, name).Environment["Api__Keys"]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Config_NoInventoryApiKeys_FailsSayingHowToSetThem(string? keys)
    {
        var config = await DockerCompose.RunAsync(["config"], new Dictionary<string, string?> { ["INVENTORY_API_KEYS"] = keys });

        // No placeholder key: a known default would be a key anyone can use.
        Assert.True(config.ExitCode != 0, config.ToString());
        Assert.Contains("set INVENTORY_API_KEYS to one or more comma-separated API keys", config.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_ComposeFile_BuildsTheApiImageAndStartsOnceBothSilosAreHealthy()
    {
        var api = Service(await DockerCompose.ConfigAsync(), "api");

        Assert.Equal("Api/Dockerfile", api.Dockerfile);
        Assert.Equal(Repository.Root, api.BuildContext);
        Assert.Equal(
            new Dictionary<string, string> { ["kafka"] = "service_healthy", ["schema-registry"] = "service_healthy", ["redis"] = "service_healthy", ["silo1"] = "service_healthy", ["silo2"] = "service_healthy" },
            api.DependsOn);
        Assert.DoesNotContain("Orleans__AdvertisedIP", api.Environment.Keys);
    }

    [Fact]
    public async Task Ports_ComposeFile_PublishRestAndGrpcOfEachHostOnHostPortsOfTheirOwn()
    {
        var config = await DockerCompose.ConfigAsync();

        // REST (with /dashboard, /healthz, /readyz, /metrics) on 5000 and gRPC on 5001 in every container.
        Assert.Equal([(5000, 5000), (5001, 5001)], Published(config, "silo1"));
        Assert.Equal([(5100, 5000), (5101, 5001)], Published(config, "silo2"));
        Assert.Equal([(5200, 5000), (5201, 5001)], Published(config, "api"));
        var all = Services(config).SelectMany(s => s.Ports.Select(p => p.Published)).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public async Task Ports_ComposeFile_AreAllPublishedOnTheHostsLoopbackOnly()
    {
        var config = await DockerCompose.ConfigAsync();

        // Other machines reach the API through a reverse proxy on the Docker host that terminates TLS.
        var ports = Services(config).SelectMany(s => s.Ports.Select(p => (s.Name, p.HostIp, p.Published))).ToList();
        Assert.Equal(["api", "jaeger", "kafka", "redis", "schema-registry", "silo1", "silo2"], ports.Select(p => p.Name).Distinct().Order(StringComparer.Ordinal));
        Assert.All(ports, p => Assert.True(p.HostIp == "127.0.0.1", $"{p.Name} publishes {p.Published} on '{p.HostIp}'"));
    }

    [Fact]
    public async Task Ports_InventoryBindSet_PublishesTheApiPortsThereButKafkaAndRedisStayOnLoopback()
    {
        var config = await DockerCompose.ConfigAsync(new Dictionary<string, string?> { ["INVENTORY_BIND"] = "192.0.2.7" });

        Assert.All(Hosts, name => Assert.All(Service(config, name).Ports, p => Assert.Equal("192.0.2.7", p.HostIp)));

        // Neither has any authentication: never beyond the Docker host.
        Assert.All(Service(config, "kafka").Ports, p => Assert.Equal("127.0.0.1", p.HostIp));
        Assert.All(Service(config, "redis").Ports, p => Assert.Equal("127.0.0.1", p.HostIp));
        Assert.All(Service(config, "schema-registry").Ports, p => Assert.Equal("127.0.0.1", p.HostIp));
        Assert.All(Service(config, "jaeger").Ports, p => Assert.Equal("127.0.0.1", p.HostIp));
    }

    [Fact]
    public async Task Tracing_ComposeFile_EveryHostExportsOtlpToTheJaegerServicesReceiverWhoseUiIsPublished()
    {
        var config = await DockerCompose.ConfigAsync();
        var jaeger = Service(config, "jaeger");

        Assert.StartsWith("jaegertracing/all-in-one:", jaeger.Image, StringComparison.Ordinal);
        Assert.Equal("true", jaeger.Environment["COLLECTOR_OTLP_ENABLED"]);
        Assert.Contains(jaeger.Ports, p => p is { HostIp: "127.0.0.1", Published: 16686, Target: 16686 });
        Assert.All(Hosts, name =>
        {
            // The OTLP exporter's default protocol is gRPC: Jaeger's OTLP/gRPC receiver on 4317, by the service's name.
            var endpoint = new Uri(Service(config, name).Environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal(("http", "jaeger", 4317), (endpoint.Scheme, endpoint.Host, endpoint.Port));
            Assert.Contains(jaeger.Ports, p => p.Target == endpoint.Port);
        });
    }

    [Fact]
    public async Task SchemaRegistry_ComposeFile_StoresInTheStacksKafkaAndEveryHostPointsAtIt()
    {
        var config = await DockerCompose.ConfigAsync();
        var registry = Service(config, "schema-registry");

        Assert.StartsWith("confluentinc/cp-schema-registry:", registry.Image, StringComparison.Ordinal);
        Assert.Equal("PLAINTEXT://kafka:9092", registry.Environment["SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS"]);
        Assert.Equal("service_healthy", registry.DependsOn["kafka"]);
        Assert.Equal(["127.0.0.1:8081"], registry.Ports.Select(p => $"{p.HostIp}:{p.Published}"));
        Assert.All(Hosts, name =>
        {
            var host = Service(config, name);
            Assert.Equal("http://schema-registry:8081", host.Environment["SchemaRegistry__Url"]);
            Assert.Equal("service_healthy", host.DependsOn["schema-registry"]);
        });
    }

    [Fact]
    public async Task HealthyConditions_ComposeFile_EachNameAServiceWithAHealthcheckOfItsOwnOrOfItsImage()
    {
        var config = await DockerCompose.ConfigAsync();
        var services = Services(config).ToDictionary(s => s.Name, StringComparer.Ordinal);

        var awaited = services.Values.SelectMany(s => s.DependsOn).Where(d => d.Value == "service_healthy").Select(d => d.Key).Distinct().ToList();
        Assert.NotEmpty(awaited);
        foreach (var name in awaited)
        {
            var service = services[name];
            var healthcheck = service.HealthcheckTest is not null
                || (service.Dockerfile is { } dockerfile && Dockerfile.Load(Path.Combine(service.BuildContext!, dockerfile)).Final.Last("HEALTHCHECK") is not null);
            Assert.True(healthcheck, $"{name} is awaited as service_healthy but has no healthcheck");
        }
    }

    private static ComposeService Service(JsonElement config, string name) => new(name, config.GetProperty("services").GetProperty(name));

    private static IEnumerable<ComposeService> Services(JsonElement config) =>
        config.GetProperty("services").EnumerateObject().Select(p => new ComposeService(p.Name, p.Value));

    private static (int Published, int Target)[] Published(JsonElement config, string name) =>
        [.. Service(config, name).Ports.Select(p => (p.Published, p.Target))];
}
