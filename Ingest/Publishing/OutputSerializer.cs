using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Ingest.Publishing;

/// <summary>
/// Writes the values of <c>inventory.outcomes</c>, <c>inventory.alerts</c> and <c>inventory.net-stock</c> in the
/// format <c>Kafka:OutputFormat</c> chooses: the contract's JSON, or Confluent-framed Avro of the shipped schemas,
/// registered under <c>&lt;topic&gt;-value</c> at start (<see cref="RegisterAsync"/>). Only the value bytes differ:
/// keys, topics, order and transactions are the same either way.
/// </summary>
public sealed class OutputSerializer(RegistrySchemas registry, IOptions<KafkaOptions> options)
{
    private readonly WireFormat _format = options.Value.Format;
    private int _outcomeId;
    private int _alertId;
    private int _netStockId;

    public WireFormat Format => _format;

    /// <summary>With Avro output, registers the output schemas (or finds them registered); throws, saying how to fix it, when the registry refuses.</summary>
    public async Task RegisterAsync()
    {
        if (_format != WireFormat.Avro)
        {
            return;
        }

        _outcomeId = await Register(Topics.Outcomes, AvroSchemas.EventOutcome);
        _alertId = await Register(Topics.Alerts, AvroSchemas.LowStockAlert);
        _netStockId = await Register(Topics.NetStock, AvroSchemas.NetStock);
    }

    public byte[] Outcome(EventOutcome outcome) => _format == WireFormat.Avro
        ? AvroRecordCodec.Write(_outcomeId, AvroRecords.Outcome(outcome))
        : RecordSerializer.Outcome(outcome);

    public byte[] Alert(LowStockAlert alert) => _format == WireFormat.Avro
        ? AvroRecordCodec.Write(_alertId, AvroRecords.Alert(alert))
        : RecordSerializer.Alert(alert);

    public byte[] NetStock(StockView stock) => _format == WireFormat.Avro
        ? AvroRecordCodec.Write(_netStockId, AvroRecords.NetStock(stock))
        : RecordSerializer.NetStock(stock);

    private async Task<int> Register(string topic, AvroContract contract)
    {
        var subject = AvroSchemas.ValueSubject(topic);
        try
        {
            return await registry.RegisterAsync(subject, contract);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"Kafka:OutputFormat is avro, but registering {contract.Name}.avsc under {subject} at the schema registry {registry.Url} failed ({e.GetType().Name}: {e.Message}). Start the registry (or point SchemaRegistry__Url at one), make the subject's compatibility accept the schema (e.g. PUT /config/{subject} {{\"compatibility\":\"NONE\"}}), or set Kafka__OutputFormat=json.",
                e);
        }
    }
}
