using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>Serves one Kafka API key in the versions it declares; ApiVersions is built from these declarations.</summary>
public interface IApiHandler
{
    ApiKey Key { get; }

    short MinVersion { get; }

    short MaxVersion { get; }

    /// <summary>The first flexible version (compact strings and arrays, tagged fields, request header v2, response header
    /// v1), as in the API's message spec; null when no served version is flexible. The connection reads and writes the
    /// headers accordingly; the handler reads <see cref="RequestContext.IsFlexible"/> for the body.</summary>
    short? FirstFlexibleVersion => null;

    /// <summary>Reads the request body from <see cref="RequestContext.Body"/> and writes the response body (after the
    /// response header, which the connection writes) into <paramref name="response"/>. Returns false when the request
    /// gets no response at all (Produce with acks=0). Protocol failures are error codes in the response; a body that
    /// cannot be parsed throws <see cref="KafkaProtocolException"/> and the connection closes.</summary>
    ValueTask<bool> HandleAsync(RequestContext context, KafkaWriter response, CancellationToken cancellationToken);
}
