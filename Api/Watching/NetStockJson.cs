using System.Globalization;
using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Api.Watching;

/// <summary>
/// Reads a JSON record of <c>inventory.net-stock</c> (docs/CONTRACTS.md "Net stock", as <c>RecordSerializer.NetStock</c>
/// writes it) back into a <see cref="StockView"/>, so that writing it again gives the same bytes.
/// </summary>
public static class NetStockJson
{
    /// <summary>The stock in <paramref name="utf8"/>; a <see cref="JsonException"/> when it is not a net-stock record.</summary>
    public static StockView Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        Expect(ref reader, JsonTokenType.StartObject);
        string? productId = null;
        string? lastEventId = null;
        long onHand = 0, reserved = 0, inTransit = 0, available = 0, version = 0, threshold = 0;
        var updatedAt = default(DateTimeOffset);
        var lowStock = false;
        Dictionary<string, long> locations = new(StringComparer.Ordinal);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            Next(ref reader);
            switch (name)
            {
                case "productId": productId = reader.GetString(); break;
                case "onHand": onHand = reader.GetInt64(); break;
                case "reserved": reserved = reader.GetInt64(); break;
                case "inTransit": inTransit = reader.GetInt64(); break;
                case "available": available = reader.GetInt64(); break;
                case "version": version = reader.GetInt64(); break;
                case "lastEventId": lastEventId = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                case "updatedAt":
                    updatedAt = DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                    break;
                case "locations":
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new JsonException("locations is not an object");
                    }

                    while (Next(ref reader) == JsonTokenType.PropertyName)
                    {
                        var location = reader.GetString()!;
                        Next(ref reader);
                        locations[location] = reader.GetInt64();
                    }

                    break;
                case "lowStock": lowStock = reader.GetBoolean(); break;
                case "lowStockThreshold": threshold = reader.GetInt64(); break;
                default: reader.Skip(); break;
            }
        }

        if (string.IsNullOrEmpty(productId))
        {
            throw new JsonException("the record has no productId");
        }

        return new StockView(productId, onHand, reserved, inTransit, available, version, lastEventId, updatedAt, locations, lowStock, threshold);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("the record ends early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonException($"expected {type}, found {reader.TokenType}");
        }
    }
}
