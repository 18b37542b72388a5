using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>The handlers by API key; the source of the ApiVersions answer.</summary>
public sealed class HandlerRegistry
{
    private readonly IApiHandler?[] _byKey = new IApiHandler?[128];
    private readonly List<IApiHandler> _all = [];

    public HandlerRegistry(IEnumerable<IApiHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        foreach (var handler in handlers)
        {
            var key = (int)handler.Key;
            if (key < 0 || key >= _byKey.Length)
            {
                throw new ArgumentException($"API key {key} is out of range.", nameof(handlers));
            }

            if (_byKey[key] is not null)
            {
                throw new ArgumentException($"Two handlers registered for {handler.Key}.", nameof(handlers));
            }

            _byKey[key] = handler;
            _all.Add(handler);
        }

        _all.Sort((a, b) => a.Key.CompareTo(b.Key));
    }

    /// <summary>Handlers in API-key order.</summary>
    public IReadOnlyList<IApiHandler> All => _all;

    public IApiHandler? Find(ApiKey key)
    {
        var index = (int)key;
        return index >= 0 && index < _byKey.Length ? _byKey[index] : null;
    }
}
