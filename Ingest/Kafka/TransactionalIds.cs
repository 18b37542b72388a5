using System.Globalization;
using InventoryOrleans.Grains.Interfaces.Kafka;

namespace InventoryOrleans.Ingest.Kafka;

/// <summary>The transactional id of a silo's producer: configured, or the group id and the silo's endpoint (unique among running silos, stable across restarts).</summary>
internal static class TransactionalIds
{
    public static string For(KafkaOptions options, SiloAddress silo) =>
        string.IsNullOrWhiteSpace(options.TransactionalId)
            ? string.Create(CultureInfo.InvariantCulture, $"{options.GroupId}-{silo.Endpoint}")
            : options.TransactionalId;
}
