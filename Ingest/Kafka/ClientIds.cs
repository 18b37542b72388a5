using InventoryOrleans.Grains.Interfaces.Kafka;

namespace InventoryOrleans.Ingest.Kafka;

/// <summary>Client ids that name the silo and the client's role, for reading broker logs and group descriptions.</summary>
internal static class ClientIds
{
    public static string For(KafkaOptions options, string role) =>
        string.IsNullOrWhiteSpace(options.ClientId) ? $"inventory-silo-{role}" : $"{options.ClientId}-{role}";
}
