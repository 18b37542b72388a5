using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Expiry;

/// <summary>
/// The publisher of a silo that runs no ingest (no Kafka to publish to): the release counts as published at once, so
/// the grain's expiry reminder moves on instead of retrying.
/// </summary>
internal sealed class UnpublishedExpiries(IGrainFactory grains) : IExpiryPublisher
{
    // Not awaited: the grain's turn is still running; the acknowledgement runs as the grain's next turn.
    public void Enqueue(string productId) => _ = grains.GetProductGrain(productId).SkipPublicationAsync();
}
