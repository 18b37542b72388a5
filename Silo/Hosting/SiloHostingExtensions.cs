using InventoryOrleans.Grains.Interfaces.Configuration;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Ingest;
#if EMBEDDED_DEFAULTS
using InventoryOrleans.Silo.Embedded;
#endif
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
        if (string.IsNullOrWhiteSpace(configuration.GetSection(KafkaOptions.SectionName).Get<KafkaOptions>()?.BootstrapServers))
        {
#if EMBEDDED_DEFAULTS
            builder.AddEmbeddedDevBroker();
#else
            throw NotEmbedded(KafkaOptions.SectionName, typeof(KafkaOptions), "Kafka:BootstrapServers", "Kafka__BootstrapServers to your Kafka's brokers, e.g. kafka1:9092,kafka2:9092");
#endif
        }

        var redis = builder.AddRedis();

        // The endpoints are needed while the silo is composed; the identity reaches Orleans through AddOrleansOptions.
        var orleans = configuration.GetValidated(OrleansOptions.SectionName, new OrleansOptionsValidator());
        builder.Services.AddOrleansOptions();
        builder.UseOrleans(silo =>
        {
            silo.Configure<EndpointOptions>(o =>
            {
                o.AdvertisedIPAddress = OrleansOptionsValidator.Resolve(orleans.AdvertisedIP);
                o.SiloPort = orleans.SiloPort;
                o.GatewayPort = orleans.GatewayPort;
            });
            silo.AddInventorySilo(configuration, redis);
        });
        builder.AddInventoryIngest(redis);
        builder.AddInventoryTelemetry();
        return builder;
    }

    // The Redis of Orleans clustering, reminders, pub-sub and grain state; unset starts the embedded Garnet. Needed
    // while the silo is composed (the Orleans providers take its client settings), and registered for ValidateOnStart.
    private static ConfigurationOptions AddRedis(this IHostApplicationBuilder builder)
    {
        Action<RedisOptions>? embedded = null;
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>()?.ConnectionString))
        {
#if EMBEDDED_DEFAULTS
            embedded = builder.AddEmbeddedGarnet();
#else
            throw NotEmbedded(RedisOptions.SectionName, typeof(RedisOptions), "Redis:ConnectionString", "Redis__ConnectionString to your Redis, e.g. redis:6379");
#endif
        }

        builder.Services.AddRedisOptions();
        return builder.Configuration.GetValidated(RedisOptions.SectionName, new RedisOptionsValidator(), embedded).ToConfigurationOptions();
    }

#if !EMBEDDED_DEFAULTS
    // A build without the embedded defaults (the images): an unset connection has nothing to fall back on.
    private static OptionsValidationException NotEmbedded(string section, Type options, string key, string fix) =>
        new(section, options, [$"{key} is not set, and this build has no embedded DevBroker or Garnet to start in its place (it was built with EmbeddedDefaults=false, as the images are): set {fix}."]);
#endif
}
