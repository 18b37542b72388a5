namespace InventoryOrleans.DevBroker.Protocol;

/// <summary>Request header v1 (api key, version, correlation id, client id); header v2, sent with flexible versions,
/// adds a tagged-field section after the client id (which stays a classic nullable string).</summary>
public readonly record struct RequestHeader(ApiKey ApiKey, short ApiVersion, int CorrelationId, string? ClientId)
{
    /// <summary>Reads the fields common to v1 and v2. The caller knows whether the version is flexible only once it
    /// found the handler, and then reads the rest with <see cref="ReadTaggedFields"/>.</summary>
    public static RequestHeader Read(KafkaReader reader)
    {
        var key = (ApiKey)reader.ReadInt16();
        var version = reader.ReadInt16();
        var correlationId = reader.ReadInt32();
        var clientId = reader.ReadNullableString();
        return new RequestHeader(key, version, correlationId, clientId);
    }

    /// <summary>Reads the end of header v2 (its tagged fields) when the request's version is flexible.</summary>
    public static void ReadTaggedFields(KafkaReader reader, bool flexible) => reader.SkipTaggedFields(flexible);
}
