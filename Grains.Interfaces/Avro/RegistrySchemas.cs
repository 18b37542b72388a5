using System.Collections.Concurrent;
using System.Net;
using Avro;
using Avro.Generic;
using Confluent.SchemaRegistry;
using InventoryOrleans.Grains.Interfaces.Kafka;
using Microsoft.Extensions.Options;
using ConfluentSchema = Confluent.SchemaRegistry.Schema;

namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>
/// The schema registry as the Avro wire format uses it: writer schemas fetched by id once and kept
/// (Confluent's <see cref="CachedSchemaRegistryClient"/>, plus the parsed schema and its resolving readers here), and
/// the contract's schemas registered under <c>&lt;topic&gt;-value</c>. An id the registry does not know is an answer
/// (a dead letter); a registry that cannot be reached is an outage, never a dead letter.
/// </summary>
public sealed class RegistrySchemas : IDisposable
{
    private readonly ISchemaRegistryClient? _client;
    private readonly ConcurrentDictionary<int, WriterSchema> _known = new();
    private readonly ConcurrentDictionary<(int Id, string Reader), Lazy<(GenericDatumReader<GenericRecord>? Reader, string? Problem)>> _readers = new();

    public RegistrySchemas(IOptions<SchemaRegistryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Url = options.Value.Url;
        if (!string.IsNullOrWhiteSpace(Url))
        {
            _client = new CachedSchemaRegistryClient(new SchemaRegistryConfig
            {
                Url = Url,
                RequestTimeoutMs = options.Value.RequestTimeout.ToKafkaMilliseconds(),
            });
        }
    }

    /// <summary>The registry's URL; null when none is configured (Avro is off).</summary>
    public string? Url { get; }

    public bool Configured => _client is not null;

    /// <summary>The writer schemas of <paramref name="ids"/>: from the cache, else asked of the registry.</summary>
    public async Task<SchemaLookup> LookUpAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        var schemas = new Dictionary<int, WriterSchema>();
        foreach (var id in ids)
        {
            if (_known.TryGetValue(id, out var known))
            {
                schemas[id] = known;
                continue;
            }

            if (_client is null)
            {
                schemas[id] = WriterSchema.Unknown(id, $"schema id {id}: no schema registry is configured (SchemaRegistry__Url), so Avro input is not read");
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var registered = await _client.GetSchemaAsync(id);
                schemas[id] = _known.GetOrAdd(id, Parse(id, registered));
            }
            catch (SchemaRegistryException e) when (e.Status == HttpStatusCode.NotFound)
            {
                // Not cached: an id unknown now may be registered later (another registry, a restored one).
                schemas[id] = WriterSchema.Unknown(id, $"schema id {id} is not in the registry at {Url}");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return new SchemaLookup(schemas, $"schema registry {Url}: {e.GetType().Name}: {e.Message}");
            }
        }

        return new SchemaLookup(schemas);
    }

    /// <summary>A reader of values written with <paramref name="writer"/> into <paramref name="reader"/> (Avro's schema resolution), or why there is none.</summary>
    public (GenericDatumReader<GenericRecord>? Reader, string? Problem) ReaderFor(WriterSchema writer, RecordSchema reader)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(reader);
        return _readers.GetOrAdd((writer.Id, reader.Fullname), _ => new Lazy<(GenericDatumReader<GenericRecord>?, string?)>(() =>
        {
            try
            {
                return (new GenericDatumReader<GenericRecord>(writer.Schema, reader), null);
            }
            catch (AvroException e)
            {
                return (null, $"schema id {writer.Id} cannot be read as {reader.Fullname}: {e.Message}");
            }
        })).Value;
    }

    /// <summary>Registers <paramref name="contract"/> under <paramref name="subject"/> (or finds it there) and returns its id. Throws when the registry refuses or cannot be reached.</summary>
    public async Task<int> RegisterAsync(string subject, AvroContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (_client is null)
        {
            throw new InvalidOperationException($"registering {contract.Name} under {subject} needs a schema registry: set SchemaRegistry__Url");
        }

        var id = await _client.RegisterSchemaAsync(subject, new ConfluentSchema(contract.Text, SchemaType.Avro));
        _known.TryAdd(id, new WriterSchema(id, contract.Schema));
        return id;
    }

    private static WriterSchema Parse(int id, ConfluentSchema registered)
    {
        if (registered.SchemaType != SchemaType.Avro)
        {
            return new WriterSchema(id, null, Json.DlqReasons.AvroDecode, $"schema id {id} is a {registered.SchemaType} schema, not Avro");
        }

        try
        {
            return new WriterSchema(id, global::Avro.Schema.Parse(registered.SchemaString));
        }
        catch (AvroException e)
        {
            return new WriterSchema(id, null, Json.DlqReasons.AvroDecode, $"schema id {id} does not parse as Avro: {e.Message}");
        }
    }

    public void Dispose() => _client?.Dispose();
}
