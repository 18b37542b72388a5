namespace InventoryOrleans.DevBroker;

/// <summary>How the broker accepts connections. Both run the same request loop; see README for the measurement.</summary>
public enum BrokerTransport
{
    /// <summary>Plain sockets with System.IO.Pipelines (the default).</summary>
    Sockets = 0,

    /// <summary>Kestrel's socket transport and connection middleware (ASP.NET Core shared framework).</summary>
    Kestrel = 1,
}
