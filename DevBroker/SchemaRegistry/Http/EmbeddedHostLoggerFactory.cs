using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>
/// The broker's logger factory as the registry's web app sees it, less the app's own hosting categories
/// (Microsoft.Hosting.*, Microsoft.Extensions.Hosting.*): the app is an internal part of the broker, so its "Now
/// listening on" and "Hosting failed to start" lines would only repeat what the broker logs and throws itself.
/// Kestrel's and the registry's own logs pass through. The broker owns the factory: disposing this does nothing.
/// </summary>
internal sealed class EmbeddedHostLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("Microsoft.Hosting.", StringComparison.Ordinal) || categoryName.StartsWith("Microsoft.Extensions.Hosting.", StringComparison.Ordinal)
            ? NullLogger.Instance
            : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
    }
}
