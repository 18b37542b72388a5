using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>ApiVersions (key 18) v0–3 (v3 flexible): the served keys and versions, built from the registered handlers.
/// Its response header is always v0. A higher version gets a v0 body with UNSUPPORTED_VERSION and this API's range, and
/// the client retries lower.</summary>
public sealed class ApiVersionsHandler : IApiHandler
{
    public ApiKey Key => ApiKey.ApiVersions;

    public short MinVersion => 0;

    public short MaxVersion => 3;

    public short? FirstFlexibleVersion => 3;

    /// <summary>The v0 body Kafka sends to an ApiVersions request of a version it does not serve.</summary>
    public static void WriteUnsupportedVersion(KafkaWriter response, IApiHandler apiVersions)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(apiVersions);
        response.WriteErrorCode(ErrorCode.UnsupportedVersion);
        response.WriteArrayLength(1);
        response.WriteInt16((short)apiVersions.Key);
        response.WriteInt16(apiVersions.MinVersion);
        response.WriteInt16(apiVersions.MaxVersion);
    }

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var flexible = context.IsFlexible;
        if (flexible)
        {
            // v3 names the client software (KIP-511); nothing here depends on it.
            context.Body.ReadCompactString();
            context.Body.ReadCompactString();
            context.Body.SkipTaggedFields();
        }

        response.WriteErrorCode(ErrorCode.None);
        var handlers = context.Services.Handlers.All;
        response.WriteArrayLength(handlers.Count, flexible);
        foreach (var handler in handlers)
        {
            response.WriteInt16((short)handler.Key);
            response.WriteInt16(handler.MinVersion);
            response.WriteInt16(handler.MaxVersion);
            response.WriteTaggedFields(flexible);
        }

        if (context.Version >= 1)
        {
            response.WriteInt32(0); // throttle time
        }

        response.WriteTaggedFields(flexible); // no supported or finalized features
        return ValueTask.FromResult(true);
    }
}
