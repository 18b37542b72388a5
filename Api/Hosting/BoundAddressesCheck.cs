using InventoryOrleans.Api.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// The loopback rule's last check: once Kestrel started, every address it reports bound
/// (<see cref="IServerAddressesFeature"/>) must be loopback unless <c>Api__Keys</c> is set, or the start fails with how
/// to set one. The configuration was checked before anything started (<see cref="ApiExposureValidator"/>) and each
/// endpoint just before Kestrel bound it (<see cref="ApiKestrelSetup"/>); this sees what both could miss — an endpoint
/// added in code before the API's own Kestrel setup ran — at the cost of a moment in which it was already listening.
/// </summary>
public sealed class BoundAddressesCheck(IServer server, IOptions<ApiOptions> api) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (api.Value.KeyList.Count > 0)
        {
            return Task.CompletedTask;
        }

        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];

        // What does not parse cannot be shown to be loopback.
        var exposed = bound.Where(a => ListenAddress.TryParseAny(a, "a bound address", out _) is not { IsLoopback: true }).ToList();
        return exposed.Count == 0
            ? Task.CompletedTask
            : Task.FromException(ExposureRule.Refused(exposed.Select(a => $"{a} (bound by Kestrel)")));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
