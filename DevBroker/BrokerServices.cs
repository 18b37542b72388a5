using InventoryOrleans.DevBroker.Cluster;
using InventoryOrleans.DevBroker.Handlers;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker;

/// <summary>What handlers reach: options, the cluster state (its one owner), the clock, logging, and further components
/// such as the group coordinator (registered in <see cref="BrokerComponents"/>).</summary>
public sealed class BrokerServices(DevBrokerOptions options, ClusterState cluster, HandlerRegistry handlers, TimeProvider time, ILoggerFactory loggerFactory)
{
    private readonly Dictionary<Type, object> _components = [];

    public DevBrokerOptions Options { get; } = options;

    public ClusterState Cluster { get; } = cluster;

    public HandlerRegistry Handlers { get; } = handlers;

    public TimeProvider Time { get; } = time;

    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    /// <summary>Components in registration order (disposed in reverse when the broker stops).</summary>
    internal List<object> ComponentsInOrder { get; } = [];

    /// <summary>Registers a component once, at start-up.</summary>
    public void Add<T>(T component)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(component);
        _components.Add(typeof(T), component);
        ComponentsInOrder.Add(component);
    }

    /// <summary>A component registered at start-up; throws if it is missing (a wiring bug).</summary>
    public T Get<T>()
        where T : class =>
        _components.TryGetValue(typeof(T), out var component)
            ? (T)component
            : throw new InvalidOperationException($"{typeof(T).Name} is not registered; add it in BrokerComponents.Register.");
}
