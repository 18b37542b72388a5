using InventoryOrleans.Api.Options;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// Refuses to start a host whose REST or gRPC endpoint is reachable from other machines while no API key guards the
/// writes (and the dashboard), and reports addresses Kestrel could not bind.
/// </summary>
public sealed class ApiExposureValidator(RestUrls rest) : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var addresses = new List<ListenAddress>();
        foreach (var url in rest.Values)
        {
            if (ListenAddress.TryParse(url, "--urls / ASPNETCORE_URLS", out var error) is { } address)
            {
                addresses.Add(address);
            }
            else
            {
                errors.Add(error!);
            }
        }

        // A malformed Api:GrpcUrl is ApiOptionsValidator's to report.
        var grpc = ListenAddress.TryParse(options.GrpcUrl, "Api:GrpcUrl", out _);
        if (grpc is not null)
        {
            addresses.Add(grpc);
            if (addresses.Any(a => !ReferenceEquals(a, grpc) && !a.Binding.IsUnixPipe && a.Binding.Port == grpc.Binding.Port && a.Binding.Port != 0))
            {
                errors.Add($"Api:GrpcUrl '{options.GrpcUrl}' uses the port of --urls: gRPC (h2c) needs an endpoint of its own; set Api__GrpcUrl to another port (default http://127.0.0.1:5001).");
            }
        }

        var exposed = addresses.Where(a => !a.IsLoopback).Select(a => a.Url).ToList();
        if (exposed.Count > 0 && options.KeyList.Count == 0)
        {
            errors.Add(
                $"The API would listen on {string.Join(", ", exposed)}, which other machines can reach, with no API key: anyone could post events. "
                + "Set Api__Keys to one or more comma-separated secret keys (e.g. Api__Keys=$(openssl rand -hex 32)); writes and the dashboard then need "
                + "'Authorization: Bearer <key>'. Or listen on loopback only (--urls http://127.0.0.1:5000, Api__GrpcUrl=http://127.0.0.1:5001).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
