namespace InventoryOrleans.DevBroker.Server;

/// <summary>A transport that accepts client connections and runs each through a <see cref="BrokerConnection"/>.</summary>
internal interface IBrokerListener : IAsyncDisposable
{
    int Port { get; }

    Task StartAcceptingAsync(BrokerServices services);
}
