using Microsoft.Extensions.Hosting;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>The registry's web app lives inside the broker, which starts and stops it. The default console lifetime
/// would take Ctrl+C / SIGTERM for itself (stopping the registry apart from the broker, and from the silo hosting both)
/// and print "Press Ctrl+C to shut down".</summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
