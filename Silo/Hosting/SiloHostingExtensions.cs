using InventoryOrleans.Api.Options;
using InventoryOrleans.DevBroker;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Ingest;
using InventoryOrleans.Ingest.Options;
using InventoryOrleans.Silo.Health;
using InventoryOrleans.Silo.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace InventoryOrleans.Silo.Hosting;

/// <summary>Composes the silo executable: embedded DevBroker and Garnet when nothing is configured, the Orleans silo, the ingest.</summary>
public static class SiloHostingExtensions
{
    /// <summary>
    /// Registers everything a silo runs, in start order (hosted services stop in reverse): the embedded DevBroker (with its
    /// schema registry) when <c>Kafka:BootstrapServers</c> is unset and the embedded Garnet when
    /// <c>Redis:ConnectionString</c> is unset, the Orleans silo on that Redis, then the ingest pipeline. Embedded or not,
    /// the code path is the same: only the connection strings differ.
    /// </summary>
    public static IHostApplicationBuilder AddSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        builder.Services.TryAddSingleton(TimeProvider.System);
        if (string.IsNullOrWhiteSpace(configuration[$"{KafkaOptions.SectionName}:{nameof(KafkaOptions.BootstrapServers)}"]))
        {
            builder.AddEmbeddedDevBroker();
        }

        var redis = builder.AddRedis();
        var orleans = Bind<OrleansHostOptions>(configuration, OrleansHostOptions.SectionName, new OrleansHostOptionsValidator());
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = orleans.ClusterId;
                o.ServiceId = orleans.ServiceId;
            });
            silo.Configure<EndpointOptions>(o =>
            {
                o.AdvertisedIPAddress = OrleansHostOptionsValidator.Resolve(orleans.AdvertisedIP);
                o.SiloPort = orleans.SiloPort;
                o.GatewayPort = orleans.GatewayPort;
            });
            silo.AddInventorySilo(configuration, redis);
        });
        builder.AddInventoryIngest(redis);
        builder.Services.AddSingleton(new RedisProbe(redis));
        builder.Services.AddSingleton<ReadinessProbe>();
        builder.AddInventoryTelemetry();
        return builder;
    }

    /// <summary>
    /// Keeps ASP.NET Core's per-request logs out of the silo's output. (Where HTTP listens — <c>--urls</c>, default
    /// http://127.0.0.1:5000, and the gRPC endpoint — is the API's Kestrel setup, <c>AddInventoryApi</c>.)
    /// </summary>
    public static IHostApplicationBuilder UseSiloLogging(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Per-request logs drown the pipeline's own; appsettings.json is not found when run from another folder.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
    }

    private static void AddEmbeddedDevBroker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DevBrokerOptions>()
            .BindConfiguration(DevBrokerOptions.SectionName)
            .PostConfigure(o =>
            {
                o.DataDir ??= "data/kafka";

                // The embedded default serves the schema registry where Confluent's would be.
                o.SchemaRegistryPort ??= DevBrokerOptions.DefaultSchemaRegistryPort;
            })
            .ValidateOnStart()
            .Validate(o => o.Port is > 0 and <= 65535, "DevBroker:Port must be 1-65535 for the embedded broker, since the silo's own clients connect to it: set DevBroker__Port (default 9092).")
            .Validate(o => o.SchemaRegistryPort is > 0 and <= 65535, $"DevBroker:SchemaRegistryPort must be 1-65535 for the embedded broker, since the silo and Avro producers reach its schema registry there: set DevBroker__SchemaRegistryPort (default {DevBrokerOptions.DefaultSchemaRegistryPort}).");
        builder.Services.AddSingleton<IValidateOptions<DevBrokerOptions>, DevBrokerOptionsValidator>();
        builder.Services.AddHostedService<EmbeddedDevBroker>();
        builder.Services.AddOptions<KafkaOptions>()
            .PostConfigure<IOptions<DevBrokerOptions>>((kafka, broker) =>
                kafka.BootstrapServers ??= $"{broker.Value.EffectiveAdvertisedHost}:{broker.Value.Port}");

        // Avro readers and writers use the embedded broker's registry unless SchemaRegistry__Url names another.
        builder.Services.AddOptions<SchemaRegistryOptions>()
            .PostConfigure<IOptions<DevBrokerOptions>>((registry, broker) =>
                registry.Url ??= $"http://{broker.Value.Host}:{broker.Value.SchemaRegistryPort}");

        // The co-hosted API produces posted events to the same embedded broker.
        builder.Services.AddOptions<ApiKafkaOptions>()
            .PostConfigure<IOptions<DevBrokerOptions>>((kafka, broker) =>
                kafka.BootstrapServers ??= $"{broker.Value.EffectiveAdvertisedHost}:{broker.Value.Port}");
    }

    // The Redis of Orleans clustering, reminders, pub-sub and grain state; unset starts the embedded Garnet.
    private static ConfigurationOptions AddRedis(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration[$"{RedisOptions.SectionName}:{nameof(RedisOptions.ConnectionString)}"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var garnet = Bind<GarnetOptions>(builder.Configuration, GarnetOptions.SectionName, new GarnetOptionsValidator());
            builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(garnet));
            builder.Services.AddHostedService<EmbeddedGarnet>();
            connectionString = $"127.0.0.1:{garnet.Port}";

            // Garnet answers a write before its append-only file has it: the product storage waits for it (see
            // EmbeddedGarnet.ServerArguments for why not on every write).
            var durability = $"{RedisOptions.SectionName}:{nameof(RedisOptions.DurabilityCommand)}";
            builder.Configuration[durability] ??= EmbeddedGarnet.DurabilityCommand;
        }

        if (builder.Configuration[$"{RedisOptions.SectionName}:{nameof(RedisOptions.DurabilityCommand)}"] is { } command
            && (command.Length == 0 || command.Any(char.IsWhiteSpace)))
        {
            throw new OptionsValidationException(RedisOptions.SectionName, typeof(RedisOptions), [$"Redis:DurabilityCommand '{command}' is not one command word: leave Redis__DurabilityCommand unset for a Redis with appendfsync always, or set it to COMMITAOF for a Garnet."]);
        }

        ConfigurationOptions redis;
        try
        {
            redis = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new OptionsValidationException(RedisOptions.SectionName, typeof(RedisOptions), [$"Redis:ConnectionString '{connectionString}' is not a StackExchange.Redis connection string ({e.Message}): set Redis__ConnectionString to host:port[,option=value…], e.g. redis:6379."]);
        }

        // An outage shows up as failing calls, which the ingest and Orleans retry, not as a silo that cannot start.
        redis.AbortOnConnectFail = false;
        return redis;
    }

    // Options the Orleans configuration needs before the host is built are bound and checked here, so a bad value
    // stops the start with the same kind of message as ValidateOnStart.
    private static T Bind<T>(IConfiguration configuration, string section, IValidateOptions<T> validator)
        where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var result = validator.Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(section, typeof(T), result.Failures) : options;
    }
}
