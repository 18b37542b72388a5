using InventoryOrleans.Api.Options;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// Refuses to start a host whose REST or gRPC endpoint is reachable from other machines while no API key guards the
/// writes (and the dashboard), and reports addresses Kestrel could not bind. It reads every setting that makes Kestrel
/// listen — <c>--urls</c> / <c>ASPNETCORE_URLS</c>, else <c>HTTP_PORTS</c> / <c>HTTPS_PORTS</c> (<see cref="RestUrls"/>),
/// <c>Kestrel:Endpoints</c> (<see cref="KestrelEndpointUrls"/>) and <c>Api:GrpcUrl</c> — as options validated on start,
/// so a refused host stops before the silo, the ingest or Kestrel start and before anything is served.
/// </summary>
public sealed class ApiExposureValidator(RestUrls rest, KestrelEndpointUrls kestrel) : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var restAddresses = new List<ListenAddress>();
        foreach (var url in rest.Values)
        {
            if (ListenAddress.TryParse(url, rest.Setting, out var error) is { } address)
            {
                restAddresses.Add(address);
            }
            else
            {
                errors.Add(error!);
            }
        }

        var exposed = restAddresses.Where(a => !a.IsLoopback).Select(a => $"{a.Url} ({rest.Setting})").ToList();
        foreach (var (endpoint, url) in kestrel.Urls)
        {
            var setting = KestrelEndpointUrls.Setting(endpoint);
            if (ListenAddress.TryParseAny(url, setting, out var error) is { } address)
            {
                if (!address.IsLoopback)
                {
                    exposed.Add($"{address.Url} ({setting})");
                }
            }
            else
            {
                errors.Add(error!);
            }
        }

        // A malformed Api:GrpcUrl is ApiOptionsValidator's to report.
        if (ListenAddress.TryParse(options.GrpcUrl, "Api:GrpcUrl", out _) is { } grpc)
        {
            if (restAddresses.Any(a => !a.Binding.IsUnixPipe && a.Binding.Port == grpc.Binding.Port && a.Binding.Port != 0))
            {
                errors.Add($"Api:GrpcUrl '{options.GrpcUrl}' uses the port of {rest.Setting}: gRPC (h2c) needs an endpoint of its own; set Api__GrpcUrl to another port (default http://127.0.0.1:5001).");
            }

            if (!grpc.IsLoopback)
            {
                exposed.Add($"{grpc.Url} (Api__GrpcUrl)");
            }
        }

        if (exposed.Count > 0 && options.KeyList.Count == 0)
        {
            errors.Add(ExposureRule.Refusal(exposed));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
