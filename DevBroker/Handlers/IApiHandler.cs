using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>Serves one Kafka API key in the versions it declares; ApiVersions is built from these declarations.</summary>
public interface IApiHandler
{
    ApiKey Key { get; }

    short MinVersion { get; }

    short MaxVersion { get; }

    /// <summary>Reads the request body from <see cref="RequestContext.Body"/> and writes the response body (after the
    /// response header, which the connection writes) into <paramref name="response"/>. Returns false when the request
    /// gets no response at all (Produce with acks=0). Protocol failures are error codes in the response; a body that
    /// cannot be parsed throws <see cref="KafkaProtocolException"/> and the connection closes.</summary>
    ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken);
}
