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
/// when the host starts, with how to fix them.
/// </summary>
public sealed class ApiKestrelSetup(RestUrls rest, IOptions<ApiOptions> api) : IConfigureOptions<KestrelServerOptions>
{
    /// <summary>Longest request line: <c>GET /api/stock?ids=</c> carries up to 1,000 ids (Kestrel's default is 8 KiB).</summary>
    public const int MaxRequestLineBytes = 64 * 1024;

    public void Configure(KestrelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Limits.MaxRequestLineSize = MaxRequestLineBytes;
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
