using System.Net;
using System.Net.Sockets;
using InventoryOrleans.Api.Options;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// The loopback rule: with no <c>Api__Keys</c> the API may listen only where other machines cannot reach it. Shared by
/// its three checks — the configuration before anything starts (<see cref="ApiExposureValidator"/>), each endpoint as
/// Kestrel is about to bind it (<see cref="ApiKestrelSetup"/>) and the addresses Kestrel bound
/// (<see cref="BoundAddressesCheck"/>) — so all three refuse alike and say how to fix it.
/// </summary>
public static class ExposureRule
{
    /// <summary>
    /// An endpoint reachable from this machine only: a loopback IP (Kestrel's <c>localhost</c> endpoints are 127.0.0.1
    /// and [::1]) or a unix socket. A wildcard is not, and neither is what cannot be told (an inherited file handle).
    /// </summary>
    public static bool IsLoopback(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip => IPAddress.IsLoopback(ip.Address),
        UnixDomainSocketEndPoint => true,
        _ => false,
    };

    /// <summary>The refusal of <paramref name="exposed"/> (each an address and where it came from), saying how to fix it.</summary>
    public static string Refusal(IEnumerable<string> exposed) =>
        $"The API would listen on {string.Join(", ", exposed)}, which other machines can reach, with no API key: anyone could post events. "
        + "Set Api__Keys to one or more comma-separated secret keys (e.g. Api__Keys=$(openssl rand -hex 32)); writes and the dashboard then need "
        + "'Authorization: Bearer <key>'. Or listen on loopback only: --urls http://127.0.0.1:5000, Api__GrpcUrl=http://127.0.0.1:5001, "
        + "and no HTTP_PORTS, ASPNETCORE_URLS or Kestrel__Endpoints__<name>__Url beyond 127.0.0.1, [::1] or localhost.";

    /// <summary>The same, as the exception a refused start ends with (like any invalid <c>Api</c> setting).</summary>
    public static OptionsValidationException Refused(IEnumerable<string> exposed) =>
        new(ApiOptions.SectionName, typeof(ApiOptions), [Refusal(exposed)]);
}
