using Avro;
using Avro.Generic;
using Avro.IO;

namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>
/// Writes a record as a Confluent-framed value of a registered schema, and reads framed values of this service's own
/// outputs back (the writer schema by id from the registry, resolved into the contract's schema).
/// </summary>
public static class AvroRecordCodec
{
    public static byte[] Write(int schemaId, GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var stream = new MemoryStream(256);
        stream.Write(ConfluentFrame.Header(schemaId));
        new GenericDatumWriter<GenericRecord>(record.Schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    /// <summary>
    /// The record of a framed <paramref name="value"/> in <paramref name="reader"/>'s schema, or why not: an unknown id, a
    /// value that does not decode, or (<paramref name="outage"/>) a registry that cannot be reached.
    /// </summary>
    public static async Task<(GenericRecord? Record, string? Problem, bool Outage)> ReadAsync(
        RegistrySchemas registry, byte[] value, RecordSchema reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(value);
        if (!ConfluentFrame.TryReadSchemaId(value, out var id))
        {
            return (null, "not a Confluent-framed Avro value", false);
        }

        var lookup = await registry.LookUpAsync([id], cancellationToken);
        if (lookup.Outage is { } outage)
        {
            return (null, outage, true);
        }

        var writer = lookup.Schemas[id];
        if (writer.Schema is null)
        {
            return (null, writer.Problem, false);
        }

        var (datumReader, problem) = registry.ReaderFor(writer, reader);
        if (datumReader is null)
        {
            return (null, problem, false);
        }

        try
        {
            using var stream = new MemoryStream(value, ConfluentFrame.HeaderLength, value.Length - ConfluentFrame.HeaderLength, writable: false);
            return (datumReader.Read(reuse: null!, new BinaryDecoder(stream)), null, false);
        }
        catch (Exception e) when (e is AvroException or EndOfStreamException or ArgumentOutOfRangeException or InvalidCastException)
        {
            return (null, $"the value does not decode with schema id {id}: {e.Message}", false);
        }
    }

    /// <summary>
    /// The record of a framed <paramref name="value"/> in <paramref name="reader"/>'s schema, waiting out a registry that
    /// cannot be reached (<paramref name="onOutage"/> hears each failed try, one a second) so that a reader of this
    /// service's outputs skips no record for an outage. Throws <see cref="InvalidOperationException"/> when the value
    /// cannot be read at all, and <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> stops the wait.
    /// </summary>
    /// <remarks>Blocks the calling thread: the readers are Kafka consumer loops, which run on a thread of their own.</remarks>
    public static GenericRecord ReadWaitingOutOutages(
        RegistrySchemas registry, byte[] value, RecordSchema reader, Action<string> onOutage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onOutage);
        while (true)
        {
            var (record, problem, outage) = ReadAsync(registry, value, reader, cancellationToken).GetAwaiter().GetResult();
            if (record is not null)
            {
                return record;
            }

            if (!outage)
            {
                throw new InvalidOperationException(problem);
            }

            onOutage(problem!);
            if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1)))
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
    }
}
