using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Ingest;
#if EMBEDDED_DEFAULTS
using InventoryOrleans.Silo.Embedded;
#endif
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
#if EMBEDDED_DEFAULTS
            builder.AddEmbeddedDevBroker();
#else
            throw NotEmbedded(KafkaOptions.SectionName, typeof(KafkaOptions), "Kafka:BootstrapServers", "Kafka__BootstrapServers to your Kafka's brokers, e.g. kafka1:9092,kafka2:9092");
#endif
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

    // The Redis of Orleans clustering, reminders, pub-sub and grain state; unset starts the embedded Garnet.
    private static ConfigurationOptions AddRedis(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration[$"{RedisOptions.SectionName}:{nameof(RedisOptions.ConnectionString)}"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
#if EMBEDDED_DEFAULTS
            connectionString = builder.AddEmbeddedGarnet();
#else
            throw NotEmbedded(RedisOptions.SectionName, typeof(RedisOptions), "Redis:ConnectionString", "Redis__ConnectionString to your Redis, e.g. redis:6379");
#endif
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
    internal static T Bind<T>(IConfiguration configuration, string section, IValidateOptions<T> validator)
        where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var result = validator.Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(section, typeof(T), result.Failures) : options;
    }

#if !EMBEDDED_DEFAULTS
    // A build without the embedded defaults (the images): an unset connection has nothing to fall back on.
    private static OptionsValidationException NotEmbedded(string section, Type options, string key, string fix) =>
        new(section, options, [$"{key} is not set, and this build has no embedded DevBroker or Garnet to start in its place (it was built with EmbeddedDefaults=false, as the images are): set {fix}."]);
#endif
}
