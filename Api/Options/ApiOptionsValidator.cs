using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Configuration;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Options;

/// <summary>Checks <see cref="ApiOptions"/> at start; every message says how to fix the setting.</summary>
public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.OutcomeTimeout < TimeSpan.FromMilliseconds(1) || options.OutcomeTimeout > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Api:OutcomeTimeout {MillisecondsKeys<ApiOptions>.Format(options.OutcomeTimeout)} is out of range: set Api__OutcomeTimeout to 00:00:00.001-00:01:00 (default 00:00:05), or Api__OutcomeTimeoutMs to 1-60000 milliseconds (default 5000).");
        }

        if (!Uri.TryCreate(options.GrpcUrl, UriKind.Absolute, out var grpc) || grpc.Scheme != Uri.UriSchemeHttp || grpc.Port <= 0)
        {
            errors.Add($"Api:GrpcUrl '{options.GrpcUrl}' is not an http:// URL with a port: set Api__GrpcUrl to e.g. http://127.0.0.1:5001 (gRPC is served as h2c, HTTP/2 without TLS).");
        }

        if (!WireFormats.TryParse(options.ProduceFormat, out _))
        {
            errors.Add($"Api:ProduceFormat is '{options.ProduceFormat}': set Api__ProduceFormat to json (default) or avro (Confluent-framed Avro, needs SchemaRegistry__Url outside the embedded default).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
