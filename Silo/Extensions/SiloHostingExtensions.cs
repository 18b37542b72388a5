using InventoryOrleans.DevBroker;
using InventoryOrleans.Grains;
using InventoryOrleans.Ingest;
using InventoryOrleans.Ingest.Options;
using InventoryOrleans.Runtime;
using InventoryOrleans.Silo.Health;
using InventoryOrleans.Silo.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Silo.Extensions;

/// <summary>Composes a silo: embedded DevBroker (when no Kafka is configured), grain runtime and storage, product grains, ingest.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Default HTTP endpoint when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>
    /// Registers everything a silo runs, in start order: the embedded DevBroker when <c>Kafka:BootstrapServers</c> is
    /// unset (hosted services stop in reverse, so the broker outlives the pipeline), the grain runtime with SQLite or
    /// Redis storage, the product grain, and the ingest pipeline.
    /// </summary>
    public static IHostApplicationBuilder AddSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var embedded = string.IsNullOrWhiteSpace(builder.Configuration[$"{KafkaOptions.SectionName}:{nameof(KafkaOptions.BootstrapServers)}"]);
        if (embedded)
        {
            builder.Services.AddOptions<DevBrokerOptions>()
                .BindConfiguration(DevBrokerOptions.SectionName)
                .PostConfigure(o => o.DataDir ??= "data/kafka")
                .ValidateOnStart()
                .Validate(o => o.Port is > 0 and <= 65535, "DevBroker:Port must be 1-65535 for the embedded broker, since the silo's own clients connect to it: set DevBroker__Port (default 9092).");
            builder.Services.AddSingleton<IValidateOptions<DevBrokerOptions>, DevBrokerOptionsValidator>();
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddHostedService<EmbeddedDevBroker>();
            builder.Services.AddOptions<KafkaOptions>()
                .PostConfigure<IOptions<DevBrokerOptions>>((kafka, broker) =>
                    kafka.BootstrapServers ??= $"{broker.Value.EffectiveAdvertisedHost}:{broker.Value.Port}");
        }

        builder.AddSiloStorage(embedded);
        builder.Services.AddGrainRuntime();
        builder.Services.AddInventoryGrains(builder.Configuration);
        builder.AddInventoryIngest();
        builder.Services.AddSingleton<ReadinessProbe>();
        return builder;
    }

    private static void AddSiloStorage(this IHostApplicationBuilder builder, bool embedded)
    {
        var storage = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var errors = storage.Validate(embedded);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions), errors);
        }

        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName);
        if (storage.EffectiveProvider(embedded) == StorageProvider.Redis)
        {
            builder.Services.AddRedisGrainStorage(storage.Redis);
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(storage.SqlitePath));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        builder.Services.AddSqliteGrainStorage(storage.SqlitePath);
    }

    /// <summary>Listens on <see cref="DefaultUrl"/> unless <c>--urls</c>, <c>ASPNETCORE_URLS</c> or <c>urls</c> configuration says otherwise.</summary>
    public static WebApplicationBuilder UseDefaultSiloUrl(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Per-request logs drown the pipeline's own; appsettings.json is not found when run from another folder.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
    }
}
