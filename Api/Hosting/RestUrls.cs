using Microsoft.AspNetCore.Hosting;

namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// The REST endpoint's addresses as the operator gave them, chosen the way the ASP.NET Core host chooses the server's
/// addresses: <c>--urls</c> / <c>ASPNETCORE_URLS</c> (separated by <c>;</c>); else <c>HTTP_PORTS</c> /
/// <c>HTTPS_PORTS</c> (also with the <c>ASPNETCORE_</c> prefix), each port on every interface (<c>http://*:port</c>);
/// else <see cref="Default"/>. Read once while the host is composed: Kestrel binds them itself (see
/// <see cref="ApiKestrelSetup"/>), beside the gRPC endpoint, and <see cref="ApiExposureValidator"/> checks them.
/// </summary>
/// <param name="Values">The addresses.</param>
/// <param name="Setting">Where they came from, as an operator sets it (for error messages).</param>
public sealed record RestUrls(IReadOnlyList<string> Values, string Setting = RestUrls.UrlsSetting)
{
    /// <summary>Where REST listens when nothing is configured.</summary>
    public const string Default = "http://127.0.0.1:5000";

    public const string UrlsSetting = "--urls / ASPNETCORE_URLS";

    public const string PortsSetting = "[ASPNETCORE_]HTTP_PORTS / [ASPNETCORE_]HTTPS_PORTS";

    public static RestUrls From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var urls = Split(configuration[WebHostDefaults.ServerUrlsKey]);
        if (urls.Length > 0)
        {
            return new RestUrls(urls);
        }

        // Without URLs the host hands the port settings to the server as http://*:port, written exactly so: taken for
        // REST here (rather than left to Kestrel, which would drop them beside explicit endpoints, or bind them instead
        // of the gRPC endpoint with preferHostingUrls), they are checked like --urls and RestUrlsStartupFilter finds them.
        // The unprefixed HTTP_PORTS reaches the same key through the environment provider without a prefix.
        string[] ports =
        [
            .. Split(configuration[WebHostDefaults.HttpPortsKey]).Select(port => $"http://*:{port}"),
            .. Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(port => $"https://*:{port}"),
        ];
        return ports.Length > 0 ? new RestUrls(ports, PortsSetting) : new RestUrls([Default]);
    }

    private static string[] Split(string? values) => (values ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
