namespace InventoryOrleans.Grains.Expiry;

/// <summary>
/// Takes the net stock of a product whose reservations expired to <c>inventory.net-stock</c> (the silo's ingest
/// implements it). Called by the grain inside its turn, so it must not wait: it queues the product; once the record
/// is committed the publisher calls <see cref="Interfaces.IProductGrain.PublishedAsync"/>.
/// </summary>
public interface IExpiryPublisher
{
    void Enqueue(string productId);
}
