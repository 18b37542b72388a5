using Avro;
using Avro.Generic;
using Avro.IO;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Grains.Interfaces.Validation;

namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>
/// Reads one Confluent-framed Avro input value: its writer schema (looked up beforehand, <see cref="RegistrySchemas.LookUpAsync"/>)
/// resolved against the contract's InventoryEvent.avsc, then the same validation as JSON (<see cref="InventoryEventValidator"/>).
/// A symbol of <c>type</c> this reader does not know reads as the schema's default <c>Unknown</c>, which is dead-lettered
/// as an unknown type, like JSON's. Bad input is a value, never an exception.
/// </summary>
public static class AvroEventDecoder
{
    private const string Body = "body";

    public static ParseResult Decode(ReadOnlySpan<byte> key, ReadOnlyMemory<byte> value, SchemaLookup lookup, RegistrySchemas registry)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(registry);
        if (value.Length > InventoryEventParser.MaxMessageBytes)
        {
            return ParseResult.Invalid(DlqReasons.TooLarge, $"the message is {value.Length} bytes; at most {InventoryEventParser.MaxMessageBytes} are accepted", Body);
        }

        if (!ConfluentFrame.TryReadSchemaId(value.Span, out var id))
        {
            return ParseResult.Invalid(DlqReasons.AvroDecode, $"the value starts with the Avro magic byte 0 but is {value.Length} bytes, shorter than the {ConfluentFrame.HeaderLength}-byte header", Body);
        }

        if (!lookup.Schemas.TryGetValue(id, out var writer))
        {
            return ParseResult.Invalid(DlqReasons.UnknownSchema, $"schema id {id} was not looked up", Body);
        }

        if (writer.Schema is null)
        {
            return ParseResult.Invalid(writer.ProblemCode ?? DlqReasons.UnknownSchema, writer.Problem ?? $"schema id {id} is unknown", Body);
        }

        var (reader, problem) = registry.ReaderFor(writer, AvroSchemas.InventoryEvent.Schema);
        if (reader is null)
        {
            return ParseResult.Invalid(DlqReasons.AvroDecode, problem!, Body);
        }

        GenericRecord record;
        try
        {
            var body = value[ConfluentFrame.HeaderLength..];
            using var stream = new ReadOnlyMemoryStream(body);
            record = reader.Read(reuse: null!, new BinaryDecoder(stream));
            if (stream.Position != stream.Length)
            {
                return ParseResult.Invalid(DlqReasons.AvroDecode, $"{stream.Length - stream.Position} bytes are left after the record written with schema id {id}", Body);
            }
        }
        catch (Exception e) when (e is AvroException or EndOfStreamException or ArgumentOutOfRangeException or InvalidCastException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            return ParseResult.Invalid(DlqReasons.AvroDecode, $"the value does not decode with schema id {id}: {e.Message}", Body);
        }

        return InventoryEventValidator.Validate(key, Fields(record));
    }

    private static EventFields Fields(GenericRecord record) => new(
        String(record, "eventId"),
        record.GetValue(record.Schema["type"].Pos) is GenericEnum type ? type.Value : null,
        String(record, "productId"),
        record.GetValue(record.Schema["quantity"].Pos) is long quantity ? quantity : null,
        Timestamp(record, "occurredAt"),
        String(record, "locationId"),
        String(record, "reservationId"),
        Timestamp(record, "expiresAt"),
        String(record, "source"),
        String(record, "correlationId"));

    private static string? String(GenericRecord record, string name) => record.GetValue(record.Schema[name].Pos) as string;

    // timestamp-millis arrives as a UTC DateTime (Apache.Avro's logical type), or as its long when read without it.
    private static EventTimestamp? Timestamp(GenericRecord record, string name) => record.GetValue(record.Schema[name].Pos) switch
    {
        DateTime at => EventTimestamp.FromValue(new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))),
        long millis => EventTimestamp.FromValue(DateTimeOffset.FromUnixTimeMilliseconds(millis)),
        _ => null,
    };
}
