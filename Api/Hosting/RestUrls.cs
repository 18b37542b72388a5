using Microsoft.AspNetCore.Hosting;

namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// The REST endpoint's addresses as the operator gave them (<c>--urls</c> / <c>ASPNETCORE_URLS</c>, separated by
/// <c>;</c>), or <see cref="Default"/>. Read once while the host is composed: Kestrel binds them itself (see
/// <see cref="ApiKestrelSetup"/>), beside the gRPC endpoint.
/// </summary>
public sealed record RestUrls(IReadOnlyList<string> Values)
{
    /// <summary>Where REST listens when nothing is configured.</summary>
    public const string Default = "http://127.0.0.1:5000";

    public static RestUrls From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var values = (configuration[WebHostDefaults.ServerUrlsKey] ?? "")
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new RestUrls(values.Length == 0 ? [Default] : values);
    }
}
