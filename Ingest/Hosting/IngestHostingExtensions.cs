using InventoryOrleans.Ingest.Expiry;
using InventoryOrleans.Ingest.Health;
using InventoryOrleans.Ingest.Hosting;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.Ingest.Metrics;
using InventoryOrleans.Ingest.Options;
using InventoryOrleans.Ingest.Pipeline;
using InventoryOrleans.Ingest.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest;

/// <summary>Registers the ingest pipeline: Kafka options (section <c>Kafka</c>), the consumer loop, the publisher, expiry sweeps, health and metrics.</summary>
public static class IngestHostingExtensions
{
    /// <summary>
    /// Adds the ingest pipeline as hosted services. The grain runtime, the product grain and a grain storage provider
    /// must be registered too (the silo composes them); register those first so they stop after the pipeline.
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
        services.TryAddSingleton<TopicBootstrapper>();
        services.TryAddSingleton<IngestPublisher>();
        services.TryAddSingleton<NetStockWriterGate>();
        services.TryAddSingleton<PartitionOwnership>();
        services.TryAddSingleton<IngestMetrics>();
        services.TryAddSingleton<IngestHealth>();
        services.TryAddSingleton<IngestPipeline>();
        services.AddHostedService<IngestService>();
        services.AddHostedService<ExpirySweeper>();
        return services;
    }
}
