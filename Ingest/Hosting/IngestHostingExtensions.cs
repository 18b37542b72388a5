using InventoryOrleans.Grains.Expiry;
using InventoryOrleans.Grains.Placement;
using InventoryOrleans.Ingest.Expiry;
using InventoryOrleans.Ingest.Health;
using InventoryOrleans.Ingest.Hosting;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Options;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Placement;
using InventoryOrleans.Ingest.Publishing;
using InventoryOrleans.Ingest.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest;

/// <summary>Registers the ingest pipeline: Kafka options (section <c>Kafka</c>), the consumer loop, the publisher, expiry publishing, partition placement, health, metrics and the cluster's ingest stats.</summary>
public static class IngestHostingExtensions
{
    /// <summary>
    /// Adds the ingest pipeline as hosted services of an Orleans silo host. Call it after <c>UseOrleans</c>: hosted
    /// services start in registration order and stop in reverse, so the pipeline starts once the silo is up and stops
    /// (finishing and committing its batch) before the silo deactivates its grains.
    /// </summary>
    public static IHostApplicationBuilder AddInventoryIngest(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddInventoryIngestServices();
        builder.Services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.SectionName);
        return builder;
    }

    /// <summary>The services of <see cref="AddInventoryIngest"/> without binding configuration (configure <see cref="KafkaOptions"/> yourself).</summary>
    public static IServiceCollection AddInventoryIngestServices(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<KafkaOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<TopicBootstrapper>();
        services.TryAddSingleton<IngestPublisher>();
        services.TryAddSingleton<NetStockWriterGate>();
        services.TryAddSingleton<PartitionOwnership>();
        services.TryAddSingleton<IngestMetrics>();
        services.TryAddSingleton<IngestHealth>();
        services.TryAddSingleton<IngestPipeline>();
        services.TryAddSingleton<ClusterPartitionMap>();
        services.AddSingleton<IProductOwnerLocator>(sp => sp.GetRequiredService<ClusterPartitionMap>());
        services.TryAddSingleton<ExpiryPublisher>();
        services.AddSingleton<IExpiryPublisher>(sp => sp.GetRequiredService<ExpiryPublisher>());
        services.AddHostedService<IngestService>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpiryPublisher>());
        services.AddHostedService<PartitionMapReporter>();
        services.TryAddSingleton<IReachabilityProbe, IngestHealthReachability>();
        services.AddHostedService<ClusterStatsReporter>();
        return services;
    }
}
