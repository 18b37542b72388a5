namespace InventoryOrleans.DevBroker.Protocol;

/// <summary>Request header v1 (api key, version, correlation id, client id); every version the broker parses uses it.</summary>
public readonly record struct RequestHeader(ApiKey ApiKey, short ApiVersion, int CorrelationId, string? ClientId)
{
    /// <summary>Reads the v1 header. Flexible requests (header v2) add tagged fields after the client id; the only one
    /// served, ApiVersions v3, is answered without reading its body, so they are never needed here.</summary>
    public static RequestHeader Read(KafkaReader reader)
    {
        var key = (ApiKey)reader.ReadInt16();
        var version = reader.ReadInt16();
        var correlationId = reader.ReadInt32();
        var clientId = reader.ReadNullableString();
        return new RequestHeader(key, version, correlationId, clientId);
    }
}
