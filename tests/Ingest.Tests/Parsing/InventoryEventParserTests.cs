using System.Text;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Json;

namespace InventoryOrleans.Ingest.Tests.Parsing;

public sealed class InventoryEventParserTests
{
    private const string Valid = """{"eventId":"e1","type":"Sale","productId":"p1","quantity":2,"occurredAt":"2026-01-31T12:00:00Z"}""";

    private static ParseResult Parse(string json, string? key = "p1") =>
        InventoryEventParser.Parse(key is null ? default : Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(json));

    private static void AssertReason(ParseResult result, string code)
    {
        Assert.False(result.IsValid);
        Assert.NotNull(result.Reason);
        Assert.StartsWith(code + ": ", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValidSale_ReturnsEventWithDefaults()
    {
        var result = Parse(Valid);

        Assert.True(result.IsValid);
        Assert.Equal(new InventoryEvent("e1", InventoryEventType.Sale, "p1", 2, new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero)), result.Event);
        Assert.Equal(InventoryEvent.DefaultLocation, result.Event!.LocationId);
    }

    [Fact]
    public void Parse_AllOptionalFields_AreCarried()
    {
        var result = Parse("""
            {"eventId":"e2","type":"Reservation","productId":"p1","quantity":3,"occurredAt":"2026-01-31T12:00:00.123+02:00",
             "locationId":"store-7","reservationId":"r1","expiresAt":"2026-02-01T00:00:00Z","source":"ECOMMERCE","correlationId":"c9"}
            """);

        Assert.True(result.IsValid);
        var e = result.Event!;
        Assert.Equal(("store-7", "r1", "ECOMMERCE", "c9"), (e.LocationId, e.ReservationId, e.Source, e.CorrelationId));
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), e.ExpiresAt);
        Assert.Equal(new DateTimeOffset(2026, 1, 31, 10, 0, 0, 123, TimeSpan.Zero), e.OccurredAt.ToUniversalTime());
    }

    [Fact]
    public void Parse_UnknownFields_AreIgnored()
    {
        var result = Parse("""{"eventId":"e1","type":"Sale","productId":"p1","quantity":2,"occurredAt":"2026-01-31T12:00:00Z","extra":{"a":[1,2,{"b":null}]},"x":true}""");

        Assert.True(result.IsValid);
    }

    [Fact]
    public void Parse_ReservationReleaseWithoutQuantity_IsValid()
    {
        var result = Parse("""{"eventId":"e1","type":"ReservationRelease","productId":"p1","reservationId":"r1","occurredAt":"2026-01-31T12:00:00Z"}""");

        Assert.True(result.IsValid);
        Assert.Equal(0, result.Event!.Quantity);
    }

    [Fact]
    public void Parse_NegativeAdjustment_IsValid()
    {
        var result = Parse("""{"eventId":"e1","type":"Adjustment","productId":"p1","quantity":-4,"occurredAt":"2026-01-31T12:00:00Z"}""");

        Assert.Equal(-4, result.Event!.Quantity);
    }

    [Fact]
    public void Parse_ValueOverOneMebibyte_TooLarge()
    {
        var padding = new string('x', InventoryEventParser.MaxMessageBytes);
        var result = Parse($$"""{"eventId":"e1","type":"Sale","productId":"p1","quantity":2,"occurredAt":"2026-01-31T12:00:00Z","pad":"{{padding}}"}""");

        AssertReason(result, DlqReasons.TooLarge);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"eventId\":\"e1\"")]
    [InlineData("{\"eventId\":\"e1\",}")]
    [InlineData("{} trailing")]
    [InlineData("")]
    [InlineData("{'eventId':'e1'}")]
    public void Parse_MalformedJson_NotJson(string json) => AssertReason(Parse(json), DlqReasons.NotJson);

    [Fact]
    public void Parse_InvalidUtf8_NotJson()
    {
        var result = InventoryEventParser.Parse("p1"u8, [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);

        AssertReason(result, DlqReasons.NotJson);
    }

    [Theory]
    [InlineData("\"note\":\"caf\xC3\"")]
    [InlineData("\"n\xFFte\":1")]
    [InlineData("\"extra\":{\"deep\":[\"\xED\xA0\x80\"]}")]
    public void Parse_InvalidUtf8InAFieldNobodyReads_NotJson(string unknownField)
    {
        // Latin-1 code points stand for the raw bytes: an otherwise valid event with one bad sequence in a field the
        // parser skips (a cut-off sequence, a lone 0xFF, an encoded surrogate).
        var valid = Encoding.UTF8.GetBytes("""{"eventId":"e1","type":"Receipt","productId":"p1","quantity":1,"occurredAt":"2026-01-01T00:00:00Z",""");
        var value = valid.Concat(Encoding.Latin1.GetBytes(unknownField)).Append((byte)'}').ToArray();

        AssertReason(InventoryEventParser.Parse("p1"u8, value), DlqReasons.NotJson);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Parse_JsonThatIsNotAnObject_NotAnObject(string json) => AssertReason(Parse(json), DlqReasons.NotAnObject);

    [Theory]
    [InlineData("eventId")]
    [InlineData("type")]
    [InlineData("productId")]
    [InlineData("quantity")]
    [InlineData("occurredAt")]
    public void Parse_RequiredFieldMissing_MissingField(string field)
    {
        var fields = new Dictionary<string, string>
        {
            ["eventId"] = "\"e1\"", ["type"] = "\"Sale\"", ["productId"] = "\"p1\"", ["quantity"] = "2", ["occurredAt"] = "\"2026-01-31T12:00:00Z\"",
        };
        fields.Remove(field);
        var json = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";

        var result = Parse(json);

        AssertReason(result, DlqReasons.MissingField);
        Assert.Contains(field, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RequiredFieldNull_MissingField() =>
        AssertReason(Parse("""{"eventId":null,"type":"Sale","productId":"p1","quantity":2,"occurredAt":"2026-01-31T12:00:00Z"}"""), DlqReasons.MissingField);

    [Theory]
    [InlineData("""{"eventId":1,"type":"Sale","productId":"p1","quantity":2,"occurredAt":"2026-01-31T12:00:00Z"}""", "eventId")]
    [InlineData("""{"eventId":"e1","type":["Sale"],"productId":"p1","quantity":2,"occurredAt":"2026-01-31T12:00:00Z"}""", "type")]
    [InlineData("""{"eventId":"e1","type":"Sale","productId":{"id":"p1"},"quantity":2,"occurredAt":"2026-01-31T12:00:00Z"}""", "productId")]
    [InlineData("""{"eventId":"e1","type":"Sale","productId":"p1","quantity":"2","occurredAt":"2026-01-31T12:00:00Z"}""", "quantity")]
    [InlineData("""{"eventId":"e1","type":"Sale","productId":"p1","quantity":2.5,"occurredAt":"2026-01-31T12:00:00Z"}""", "quantity")]
    [InlineData("""{"eventId":"e1","type":"Sale","productId":"p1","quantity":99999999999999999999,"occurredAt":"2026-01-31T12:00:00Z"}""", "quantity")]
    [InlineData("""{"eventId":"e1","type":"Sale","productId":"p1","quantity":true,"occurredAt":"2026-01-31T12:00:00Z"}""", "quantity")]
    [InlineData("""{"eventId":"e1","type":"Sale","productId":"p1","quantity":2,"occurredAt":1706702400}""", "occurredAt")]
    [InlineData("""{"eventId":"e1","type":"Sale","productId":"p1","quantity":2,"occurredAt":"2026-01-31T12:00:00Z","locationId":5}""", "locationId")]
    [InlineData("""{"eventId":"e1","type":"Sale","productId":"p1","quantity":2,"occurredAt":"2026-01-31T12:00:00Z","correlationId":{}}""", "correlationId")]
    public void Parse_FieldOfWrongType_WrongType(string json, string field)
    {
        var result = Parse(json);

        AssertReason(result, DlqReasons.WrongType);
        Assert.Contains(field, result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Teleport")]
    [InlineData("sale")]
    [InlineData("3")]
    [InlineData("")]
    public void Parse_UnknownEventType_UnknownType(string type) =>
        AssertReason(Parse($$"""{"eventId":"e1","type":"{{type}}","productId":"p1","quantity":2,"occurredAt":"2026-01-31T12:00:00Z"}"""), DlqReasons.UnknownType);

    [Theory]
    [InlineData("Sale", -1)]
    [InlineData("Snapshot", -5)]
    [InlineData("Receipt", -1)]
    [InlineData("Reservation", -1)]
    [InlineData("Adjustment", 0)]
    public void Parse_QuantityBreaksItsRule_InvalidQuantity(string type, long quantity) =>
        AssertReason(
            Parse($$"""{"eventId":"e1","type":"{{type}}","productId":"p1","quantity":{{quantity}},"occurredAt":"2026-01-31T12:00:00Z","reservationId":"r1"}"""),
            DlqReasons.InvalidQuantity);

    [Theory]
    [InlineData("Sale", 1_000_000_001)]
    [InlineData("Sale", long.MaxValue)]
    [InlineData("Receipt", 1_000_000_001)]
    [InlineData("Snapshot", 1_000_000_001)]
    [InlineData("TransferIn", 1_000_000_001)]
    [InlineData("Fulfillment", 1_000_000_001)]
    [InlineData("LowStockThreshold", 1_000_000_001)]
    [InlineData("Adjustment", 1_000_000_001)]
    [InlineData("Adjustment", -1_000_000_001)]
    [InlineData("Adjustment", long.MinValue)]
    public void Parse_QuantityBeyondOneBillion_InvalidQuantityNamingQuantity(string type, long quantity)
    {
        var result = Parse($$"""{"eventId":"e1","type":"{{type}}","productId":"p1","quantity":{{quantity}},"occurredAt":"2026-01-31T12:00:00Z","reservationId":"r1"}""");

        AssertReason(result, DlqReasons.InvalidQuantity);
        Assert.Equal("quantity", result.Field);
        Assert.Contains("'quantity'", result.Reason, StringComparison.Ordinal);
        Assert.Contains("1,000,000,000", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sale", 1_000_000_000)]
    [InlineData("Snapshot", 1_000_000_000)]
    [InlineData("LowStockThreshold", 1_000_000_000)]
    [InlineData("Adjustment", 1_000_000_000)]
    [InlineData("Adjustment", -1_000_000_000)]
    public void Parse_QuantityAtTheBound_IsValid(string type, long quantity)
    {
        var result = Parse($$"""{"eventId":"e1","type":"{{type}}","productId":"p1","quantity":{{quantity}},"occurredAt":"2026-01-31T12:00:00Z"}""");

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(quantity, result.Event!.Quantity);
    }

    [Fact]
    public void Parse_ReservationReleaseWithAHugeQuantity_IsValidAsItsQuantityIsIgnored()
    {
        var result = Parse("""{"eventId":"e1","type":"ReservationRelease","productId":"p1","quantity":9223372036854775807,"reservationId":"r1","occurredAt":"2026-01-31T12:00:00Z"}""");

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(0, result.Event!.Quantity);
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("1e400")]
    [InlineData("1e3")]
    [InlineData("1.0")]
    public void Parse_QuantityNotAWholeNumberWithin64Bits_WrongTypeNamingQuantity(string quantity)
    {
        var result = Parse($$"""{"eventId":"e1","type":"Sale","productId":"p1","quantity":{{quantity}},"occurredAt":"2026-01-31T12:00:00Z"}""");

        AssertReason(result, DlqReasons.WrongType);
        Assert.Equal("quantity", result.Field);
    }

    [Theory]
    [InlineData("", "p1")]
    [InlineData("e1", "")]
    [InlineData("LONG", "p1")]
    [InlineData("e1", "LONG")]
    public void Parse_IdOutsideOneTo128Characters_InvalidId(string eventId, string productId)
    {
        eventId = eventId == "LONG" ? new string('e', 129) : eventId;
        productId = productId == "LONG" ? new string('p', 129) : productId;

        var result = Parse($$"""{"eventId":"{{eventId}}","type":"Sale","productId":"{{productId}}","quantity":1,"occurredAt":"2026-01-31T12:00:00Z"}""", productId);

        AssertReason(result, DlqReasons.InvalidId);
    }

    [Fact]
    public void Parse_IdsOf128Characters_AreValid()
    {
        var id = new string('p', 128);

        var result = Parse($$"""{"eventId":"{{id}}","type":"Sale","productId":"{{id}}","quantity":1,"occurredAt":"2026-01-31T12:00:00Z"}""", id);

        Assert.True(result.IsValid);
    }

    [Theory]
    [InlineData("2026-01-31T12:00:00")]
    [InlineData("2026-01-31")]
    [InlineData("31/01/2026 12:00:00Z")]
    [InlineData("2026-13-31T12:00:00Z")]
    [InlineData("yesterday")]
    [InlineData("2026-01-31T12:00:00+0200")]
    public void Parse_OccurredAtNotRfc3339_InvalidTimestamp(string occurredAt) =>
        AssertReason(Parse($$"""{"eventId":"e1","type":"Sale","productId":"p1","quantity":1,"occurredAt":"{{occurredAt}}"}"""), DlqReasons.InvalidTimestamp);

    [Fact]
    public void Parse_ExpiresAtNotRfc3339_InvalidTimestamp() =>
        AssertReason(
            Parse("""{"eventId":"e1","type":"Reservation","productId":"p1","quantity":1,"reservationId":"r1","occurredAt":"2026-01-31T12:00:00Z","expiresAt":"soon"}"""),
            DlqReasons.InvalidTimestamp);

    [Theory]
    [InlineData("Reservation")]
    [InlineData("ReservationRelease")]
    [InlineData("Fulfillment")]
    public void Parse_ReservationEventWithoutReservationId_MissingReservationId(string type) =>
        AssertReason(Parse($$"""{"eventId":"e1","type":"{{type}}","productId":"p1","quantity":1,"occurredAt":"2026-01-31T12:00:00Z"}"""), DlqReasons.MissingReservationId);

    [Theory]
    [InlineData("p2")]
    [InlineData("P1")]
    [InlineData(null)]
    public void Parse_KeyDiffersFromProductId_KeyMismatch(string? key) => AssertReason(Parse(Valid, key), DlqReasons.KeyMismatch);
}
