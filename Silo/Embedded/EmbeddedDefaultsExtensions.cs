using InventoryOrleans.DevBroker;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Configuration;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Silo.Embedded;

/// <summary>
/// The embedded defaults of <c>dotnet run --project Silo</c>: the DevBroker (with its schema registry) in place of an
/// unset <c>Kafka:BootstrapServers</c>, and Garnet in place of an unset <c>Redis:ConnectionString</c>. Compiled only
/// with the <c>EmbeddedDefaults</c> build property (Silo.csproj; on by default). The images are published with it off,
/// so they contain neither server nor its packages, and a silo there refuses to start without both connections.
/// </summary>
internal static class EmbeddedDefaultsExtensions
{
    public static void AddEmbeddedDevBroker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DevBrokerOptions>()
            .BindConfiguration(DevBrokerOptions.SectionName)
            .PostConfigure(o =>
            {
                o.DataDir ??= "data/kafka";

                // The embedded default serves the schema registry where Confluent's would be.
                o.SchemaRegistryPort ??= DevBrokerOptions.DefaultSchemaRegistryPort;
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DevBrokerOptions>, DevBrokerOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<DevBrokerOptions>, EmbeddedDevBrokerOptionsValidator>();
        builder.Services.AddHostedService<EmbeddedDevBroker>();

        // The ingest and the co-hosted API (one KafkaOptions for both) use the embedded broker.
        builder.Services.AddOptions<KafkaOptions>()
            .PostConfigure<IOptions<DevBrokerOptions>>((kafka, broker) =>
                kafka.BootstrapServers ??= $"{broker.Value.EffectiveAdvertisedHost}:{broker.Value.Port}");

        // Avro readers and writers use the embedded broker's registry unless SchemaRegistry__Url names another.
        builder.Services.AddOptions<SchemaRegistryOptions>()
            .PostConfigure<IOptions<DevBrokerOptions>>((registry, broker) =>
                registry.Url ??= $"http://{broker.Value.Host}:{broker.Value.SchemaRegistryPort}");
    }

    /// <summary>
    /// Starts the embedded Garnet; what it sets of <see cref="RedisOptions"/> (registered as their post-configure step,
    /// and for the caller to apply to the copy it composes the silo with).
    /// </summary>
    public static Action<RedisOptions> AddEmbeddedGarnet(this IHostApplicationBuilder builder)
    {
        var garnet = builder.Configuration.GetValidated(GarnetOptions.SectionName, new GarnetOptionsValidator());
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(garnet));
        builder.Services.AddHostedService<EmbeddedGarnet>();

        // Garnet answers a write before its append-only file has it: the product storage waits for it (see
        // EmbeddedGarnet.ServerArguments for why not on every write).
        void Defaults(RedisOptions redis)
        {
            redis.ConnectionString ??= $"127.0.0.1:{garnet.Port}";
            redis.DurabilityCommand ??= EmbeddedGarnet.DurabilityCommand;
        }

        builder.Services.PostConfigure<RedisOptions>(Defaults);
        return Defaults;
    }
}
