using System.Collections.Concurrent;
using InventoryOrleans.Grains.Interfaces.Avro;

namespace InventoryOrleans.Api.Posting;

/// <summary>
/// The schema id posted events carry with <c>Api:ProduceFormat=avro</c>: InventoryEvent.avsc registered under each input
/// topic's <c>&lt;topic&gt;-value</c> at its first post (so an Api host starts while the registry is still coming up), then
/// kept. A registration that failed is tried again at the next post; meanwhile posts answer 503.
/// </summary>
public sealed class ProducedSchemas(RegistrySchemas registry)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<int>>> _ids = new(StringComparer.Ordinal);

    public async Task<int> InventoryEventIdAsync(string topic)
    {
        var registration = _ids.GetOrAdd(topic, t => new Lazy<Task<int>>(() => Register(t)));
        try
        {
            return await registration.Value;
        }
        catch (Exception)
        {
            _ids.TryRemove(new KeyValuePair<string, Lazy<Task<int>>>(topic, registration));
            throw;
        }
    }

    private async Task<int> Register(string topic)
    {
        try
        {
            return await registry.RegisterAsync(AvroSchemas.ValueSubject(topic), AvroSchemas.InventoryEvent);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A TimeoutException is what the Api answers 503 for: the event is not posted, the caller may try again.
            throw new TimeoutException($"registering InventoryEvent.avsc under {AvroSchemas.ValueSubject(topic)} at the schema registry {registry.Url} failed: {e.Message}", e);
        }
    }
}
