using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>ApiVersions (key 18) v0–2: the served keys and versions, built from the registered handlers.
/// A higher version (librdkafka opens with v3) gets a v0 body with UNSUPPORTED_VERSION, and the client retries lower.</summary>
public sealed class ApiVersionsHandler : IApiHandler
{
    public ApiKey Key => ApiKey.ApiVersions;

    public short MinVersion => 0;

    public short MaxVersion => 2;

    /// <summary>The v0 body Kafka sends to an ApiVersions request of a version it does not serve.</summary>
    public static void WriteUnsupportedVersion(KafkaWriter response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.WriteErrorCode(ErrorCode.UnsupportedVersion);
        response.WriteArrayLength(1);
        response.WriteInt16((short)ApiKey.ApiVersions);
        response.WriteInt16(0);
        response.WriteInt16(2);
    }

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);

        // v0–2 requests have an empty body.
        response.WriteErrorCode(ErrorCode.None);
        var handlers = context.Services.Handlers.All;
        response.WriteArrayLength(handlers.Count);
        foreach (var handler in handlers)
        {
            response.WriteInt16((short)handler.Key);
            response.WriteInt16(handler.MinVersion);
            response.WriteInt16(handler.MaxVersion);
        }

        if (context.Version >= 1)
        {
            response.WriteInt32(0);
        }

        return ValueTask.FromResult(true);
    }
}
