using System.Text;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.TestSupport.Avro;

/// <summary>
/// Confluent's own Avro serdes against a registry: what an outside Avro producer writes (<see cref="SerializeAsync"/>,
/// auto-registering its schema under <c>&lt;topic&gt;-value</c>) and what an outside Avro consumer reads back.
/// </summary>
public sealed class AvroTestClient(string registryUrl) : IDisposable
{
    private readonly CachedSchemaRegistryClient _registry = new(new SchemaRegistryConfig { Url = registryUrl });

    public ISchemaRegistryClient Registry => _registry;

    public async Task<byte[]> SerializeAsync(string topic, GenericRecord record)
    {
        var serializer = new AvroSerializer<GenericRecord>(_registry, new AvroSerializerConfig { AutoRegisterSchemas = true });
        return await serializer.SerializeAsync(record, new SerializationContext(MessageComponentType.Value, topic));
    }

    /// <summary>Produces <paramref name="e"/> as Avro on its input topic, keyed by its product.</summary>
    public async Task ProduceAsync(KafkaTestClient client, InventoryEvent e, GenericRecord? record = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(e);
        var topic = KafkaTestClient.TopicOf(e);
        client.Produce(topic, Encoding.UTF8.GetBytes(e.ProductId), await SerializeAsync(topic, record ?? AvroEvents.Record(e)));
    }

    public async Task<GenericRecord> DeserializeAsync(string topic, byte[] value)
    {
        var deserializer = new AvroDeserializer<GenericRecord>(_registry);
        return await deserializer.DeserializeAsync(value, isNull: false, new SerializationContext(MessageComponentType.Value, topic));
    }

    public void Dispose() => _registry.Dispose();
}
