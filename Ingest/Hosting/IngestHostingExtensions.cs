using InventoryOrleans.Grains.Expiry;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Grains.Placement;
using InventoryOrleans.Ingest.Decoding;
using InventoryOrleans.Ingest.Expiry;
using InventoryOrleans.Ingest.Health;
using InventoryOrleans.Ingest.Hosting;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Placement;
using InventoryOrleans.Ingest.Publishing;
using InventoryOrleans.Ingest.Rollback;
using InventoryOrleans.Ingest.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace InventoryOrleans.Ingest;

/// <summary>Registers the ingest pipeline: Kafka options (section <c>Kafka</c>), the consumer loop with its transactions, the expiry queue, partition placement, the readiness checks, metrics, the cluster's ingest stats and the rollback check (section <c>RollbackCheck</c>).</summary>
public static class IngestHostingExtensions
{
    /// <summary>
    /// Adds the ingest pipeline as hosted services of an Orleans silo host. Call it after <c>UseOrleans</c>: hosted
    /// services start in registration order and stop in reverse, so the pipeline starts once the silo is up and stops
    /// (finishing and committing its batch) before the silo deactivates its grains. <paramref name="redis"/> is the
    /// Redis of the product state, where the ingest records its progress (see <see cref="IngestProgressStore"/>).
    /// </summary>
    public static IHostApplicationBuilder AddInventoryIngest(this IHostApplicationBuilder builder, ConfigurationOptions redis)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddInventoryIngestServices(redis);
        builder.Services.AddKafkaOptions();
        builder.Services.AddOptions<RollbackCheckOptions>().BindConfiguration(RollbackCheckOptions.SectionName);
        return builder;
    }

    /// <summary>The services of <see cref="AddInventoryIngest"/> without binding configuration (configure <see cref="KafkaOptions"/> yourself).</summary>
    public static IServiceCollection AddInventoryIngestServices(this IServiceCollection services, ConfigurationOptions redis)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(redis);
        services.AddOptions<KafkaOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());
        services.AddOptions<RollbackCheckOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RollbackCheckOptions>, RollbackCheckOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<TopicBootstrapper>();
        services.TryAddSingleton<IngestPublisher>();
        services.AddSchemaRegistry();
        services.TryAddSingleton<InputDecoder>();
        services.TryAddSingleton<OutputSerializer>();
        services.TryAddSingleton<PartitionOwnership>();
        services.TryAddSingleton<IngestMetrics>();
        services.TryAddSingleton<IngestHealth>();
        services.TryAddSingleton(sp => new IngestProgressStore(redis, sp.GetRequiredService<IOptions<ClusterOptions>>()));
        services.AddRollbackRetry();
        services.TryAddSingleton<RollbackDetector>();
        services.TryAddSingleton<ProductRebuilder>();
        services.TryAddSingleton<IngestPipeline>();
        services.TryAddSingleton<ClusterPartitionMap>();
        services.AddSingleton<IProductOwnerLocator>(sp => sp.GetRequiredService<ClusterPartitionMap>());
        services.TryAddSingleton<ExpiryQueue>();
        services.AddSingleton<IExpiryPublisher>(sp => sp.GetRequiredService<ExpiryQueue>());

        // Before the pipeline: running when the pipeline's first assignment comes, stopped after its last batch.
        services.AddHostedService(sp => sp.GetRequiredService<RollbackDetector>());
        services.AddHostedService<IngestService>();
        services.AddHostedService<PartitionMapReporter>();
        services.AddHealthChecks().AddIngestChecks(redis);
        services.TryAddSingleton<IReachabilityProbe, HealthCheckReachability>();
        services.AddHostedService<ClusterStatsReporter>();
        return services;
    }
}
