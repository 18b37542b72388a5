namespace InventoryOrleans.DevBroker.Protocol;

/// <summary>Response header v0 (correlation id) or, for flexible versions, v1 (plus a tagged-field section).</summary>
public static class ResponseHeader
{
    /// <summary>Writes the header for a response of the given key and flexibility. ApiVersions always answers with v0:
    /// a client reads that answer before it knows which versions the broker speaks.</summary>
    public static void Write(KafkaWriter writer, ApiKey key, int correlationId, bool flexible)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteInt32(correlationId);
        writer.WriteTaggedFields(flexible && key != ApiKey.ApiVersions);
    }
}
