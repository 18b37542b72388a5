namespace InventoryOrleans.Grains.Interfaces.Json;

/// <summary>
/// The codes that open every <c>dlq-reason</c> header (<c>code: detail</c>), so tools can group dead letters
/// without parsing prose.
/// </summary>
public static class DlqReasons
{
    public const string TooLarge = nameof(TooLarge);
    public const string NotJson = nameof(NotJson);
    public const string NotAnObject = nameof(NotAnObject);
    public const string MissingField = nameof(MissingField);
    public const string WrongType = nameof(WrongType);
    public const string UnknownType = nameof(UnknownType);
    public const string InvalidQuantity = nameof(InvalidQuantity);
    public const string InvalidId = nameof(InvalidId);
    public const string InvalidTimestamp = nameof(InvalidTimestamp);
    public const string MissingReservationId = nameof(MissingReservationId);
    public const string KeyMismatch = nameof(KeyMismatch);

    /// <summary>Confluent-framed Avro whose schema id the registry does not know (or no registry is configured).</summary>
    public const string UnknownSchema = nameof(UnknownSchema);

    /// <summary>Confluent-framed Avro whose bytes do not decode with their writer schema as an InventoryEvent.</summary>
    public const string AvroDecode = nameof(AvroDecode);
}
