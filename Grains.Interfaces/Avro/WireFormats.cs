namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>Reads the <c>json</c> | <c>avro</c> settings (<c>Kafka__OutputFormat</c>, <c>Api__ProduceFormat</c>).</summary>
public static class WireFormats
{
    public static bool TryParse(string? text, out WireFormat format)
    {
        format = WireFormat.Json;
        if (string.Equals(text, "json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(text, "avro", StringComparison.OrdinalIgnoreCase))
        {
            format = WireFormat.Avro;
            return true;
        }

        return false;
    }
}
