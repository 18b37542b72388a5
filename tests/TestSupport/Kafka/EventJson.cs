using System.Text.Json;
using System.Text.Json.Serialization;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.TestSupport.Kafka;

/// <summary>Writes events as docs/CONTRACTS.md JSON (camelCase, type as its name), the way an outside producer would.</summary>
public static class EventJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static byte[] Serialize(InventoryEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, Options);
}
