using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Avro;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// The feeder's Avro values (<c>--format avro</c>): InventoryEvent.avsc registered under each input topic's
/// <c>&lt;topic&gt;-value</c> at the registry, then every event written as a Confluent-framed record with that id.
/// </summary>
public sealed class AvroEventValues : IDisposable
{
    private readonly RegistrySchemas _registry;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    private AvroEventValues(RegistrySchemas registry) => _registry = registry;

    public static async Task<AvroEventValues> RegisterAsync(string registryUrl)
    {
        var values = new AvroEventValues(new RegistrySchemas(Options.Create(new SchemaRegistryOptions { Url = registryUrl })));
        foreach (var topic in Topics.Inputs)
        {
            values._ids[topic] = await values._registry.RegisterAsync(AvroSchemas.ValueSubject(topic), AvroSchemas.InventoryEvent);
        }

        return values;
    }

    public byte[] Encode(string topic, InventoryEvent e) => AvroRecordCodec.Write(_ids[topic], AvroRecords.Event(e));

    public void Dispose() => _registry.Dispose();
}
