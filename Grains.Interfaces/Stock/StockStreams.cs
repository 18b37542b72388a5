namespace InventoryOrleans.Grains.Interfaces;

/// <summary>
/// The Orleans stream a product grain publishes its stock on after each persisted change while the product is
/// watched (<see cref="IProductGrain.WatchAsync"/>): provider <see cref="ProviderName"/>, stream id
/// (<see cref="Namespace"/>, productId), items <see cref="StockView"/>.
/// </summary>
public static class StockStreams
{
    public const string ProviderName = "stock";

    public const string Namespace = "stock";

    /// <summary>The stream of one product's stock changes.</summary>
    public static Orleans.Runtime.StreamId Of(string productId) => StreamId.Create(Namespace, productId);
}
