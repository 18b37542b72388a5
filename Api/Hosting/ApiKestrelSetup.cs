using System.Net;
using InventoryOrleans.Api.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// Kestrel's endpoints: REST (and the dashboard, health, OpenAPI) on every <see cref="RestUrls"/> address as
/// HTTP/1.1, gRPC on <see cref="ApiOptions.GrpcUrl"/> as HTTP/2 only — plain-text HTTP/2 (h2c) needs an endpoint of
/// its own. (HTTP/1.1 + HTTP/2 on a plain-text endpoint is HTTP/1.1 anyway, since HTTP/2 is negotiated through TLS;
/// Kestrel warned about it at every start.) Addresses that do not parse are skipped here and reported by <see cref="ApiExposureValidator"/>
/// when the host starts, with how to fix them. Every endpoint Kestrel creates, whatever its source, is checked against
/// the loopback rule before it is bound.
/// </summary>
public sealed class ApiKestrelSetup(RestUrls rest, IOptions<ApiOptions> api) : IConfigureOptions<KestrelServerOptions>
{
    /// <summary>Longest request line: <c>GET /api/stock?ids=</c> carries up to 1,000 ids (Kestrel's default is 8 KiB).</summary>
    public const int MaxRequestLineBytes = 64 * 1024;

    public void Configure(KestrelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Limits.MaxRequestLineSize = MaxRequestLineBytes;

        // Kestrel runs the endpoint defaults on each endpoint it creates from here on, before binding it: ours below,
        // Kestrel:Endpoints from configuration (loaded as the server starts, and again when the configuration reloads)
        // and server addresses it binds itself. ApiExposureValidator refused what the configuration names before anything
        // started; this refuses, before it is bound and so before a request can reach it, an endpoint it could not see
        // (one added in code after this setup, a Kestrel section changed while running).
        var keyed = api.Value.KeyList.Count > 0;
        options.ConfigureEndpointDefaults(endpoint =>
        {
            if (!keyed && !ExposureRule.IsLoopback(endpoint.EndPoint))
            {
                throw ExposureRule.Refused([$"{endpoint.EndPoint} (an endpoint Kestrel was about to bind)"]);
            }
        });
        foreach (var url in rest.Values)
        {
            if (ListenAddress.TryParse(url, "--urls", out _) is { } address)
            {
                Listen(options, address, HttpProtocols.Http1);
            }
        }

        if (ListenAddress.TryParse(api.Value.GrpcUrl, "Api:GrpcUrl", out _) is { } grpc)
        {
            Listen(options, grpc, HttpProtocols.Http2);
        }
    }

    // The same choices Kestrel makes for --urls: localhost is both loopbacks, an IP is itself, anything else is every interface.
    private static void Listen(KestrelServerOptions options, ListenAddress address, HttpProtocols protocols)
    {
        var binding = address.Binding;
        Action<ListenOptions> configure = listen => listen.Protocols = protocols;
        if (binding.IsUnixPipe)
        {
            options.ListenUnixSocket(binding.UnixPipePath, configure);
        }
        else if (string.Equals(binding.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            options.ListenLocalhost(binding.Port, configure);
        }
        else if (IPAddress.TryParse(binding.Host.Trim('[', ']'), out var ip))
        {
            options.Listen(ip, binding.Port, configure);
        }
        else
        {
            options.ListenAnyIP(binding.Port, configure);
        }
    }
}
