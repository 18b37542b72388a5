using System.Reflection;
using System.Text;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.TestSupport.Fuzzing;

namespace InventoryOrleans.Ingest.Tests.Parsing;

/// <summary>
/// The ingest's parser against thousands of hostile messages (<see cref="FuzzEvents.Message"/>, fixed seeds): wrong
/// types, dropped and duplicated fields, huge strings, 10,000-deep nesting, malformed UTF-8, values over 1 MiB, numbers
/// like 1e400, -0 and 2^63, byte order marks. Every message gets either an event that keeps every rule of the contract
/// or a dead-letter reason with a known code and the field at fault — never an exception, never a hang (each parse is
/// bounded), the same answer when asked again. A failure names the seed: <c>FuzzEvents.Message(seed)</c> replays it.
/// </summary>
public sealed class InventoryEventParserFuzzTests
{
    private const int CasesPerBlock = 4_000;

    // Generous for a loaded two-core machine: a parse of the largest message takes milliseconds; this catches hangs.
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(10);

    private static readonly HashSet<string> Codes = typeof(DlqReasons)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal)
    {
        "body", "eventId", "type", "productId", "quantity", "occurredAt", "locationId", "reservationId", "expiresAt", "source", "correlationId",
    };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Parse_MutatedMessages_EachAValidEventOrADeadLetterReason(int block)
    {
        var valid = 0;
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        BoundedRun.ForEachSeed(block * CasesPerBlock, CasesPerBlock, PerCase, seed =>
        {
            var input = FuzzEvents.Message(seed);
            var result = ParseOrFail(input);
            Assert.True(result == ParseOrFail(input), $"{input}: asked again, the parser answered otherwise");
            if (result.IsValid)
            {
                CheckEvent(input, result);
                valid++;
            }
            else
            {
                var code = CheckReason(input, result);
                reasons[code] = reasons.GetValueOrDefault(code) + 1;
            }
        });

        // Both answers must be exercised, and most reasons: a generator that made only garbage would prove little.
        Assert.True(valid >= CasesPerBlock / 20, $"only {valid} of {CasesPerBlock} messages were valid");
        Assert.True(reasons.Count >= 9, $"only these reasons were given: {string.Join(", ", reasons)}");
    }

    private static ParseResult ParseOrFail(FuzzCase input)
    {
        try
        {
            return InventoryEventParser.Parse(input.Key, input.Value);
        }
#pragma warning disable CA1031 // Whatever escapes the parser is the failure this test looks for.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Assert.Fail($"{input}: the parser threw {e}");
            throw;
        }
    }

    // A valid event keeps every rule of docs/CONTRACTS.md "Inventory event" — nothing half-read — and the grain takes it.
    private static void CheckEvent(FuzzCase input, ParseResult result)
    {
        var e = result.Event!;
        Assert.True(result.Reason is null && result.Field is null, $"{input}: valid, yet with reason {result.Reason}");
        Assert.True(e.EventId.Length is >= 1 and <= InventoryEvent.MaxIdLength, $"{input}: eventId of {e.EventId.Length} characters");
        Assert.True(e.ProductId.Length is >= 1 and <= InventoryEvent.MaxIdLength, $"{input}: productId of {e.ProductId.Length} characters");
        Assert.True(Encoding.UTF8.GetBytes(e.ProductId).AsSpan().SequenceEqual(input.Key), $"{input}: productId '{e.ProductId}' is not the key");
        Assert.True(e.LocationId.Length is >= 1 and <= InventoryEvent.MaxIdLength, $"{input}: locationId '{e.LocationId}'");
        Assert.True(Enum.IsDefined(e.Type), $"{input}: type {(int)e.Type}");
        var quantityKept = e.Type switch
        {
            InventoryEventType.ReservationRelease => e.Quantity == 0,
            InventoryEventType.Adjustment => e.Quantity != 0 && Math.Abs(e.Quantity) <= InventoryEvent.MaxQuantity,
            _ => e.Quantity is >= 0 and <= InventoryEvent.MaxQuantity,
        };
        Assert.True(quantityKept, $"{input}: {e.Type} of quantity {e.Quantity}");
        Assert.True(e.ExpiresAt is null || e.Type == InventoryEventType.Reservation, $"{input}: expiresAt on a {e.Type}");
        Assert.True(EventValidation.FindInvalidContent(e) is null, $"{input}: the grain would reject it: {EventValidation.FindInvalidContent(e)}");
    }

    // A dead letter's reason opens with a known code, names a field of the contract, and stays short: it travels as a
    // Kafka header, and a hostile value must not be copied into it whole.
    private static string CheckReason(FuzzCase input, ParseResult result)
    {
        Assert.True(result.Event is null, $"{input}: a reason and an event");
        var reason = result.Reason ?? "";
        var colon = reason.IndexOf(": ", StringComparison.Ordinal);
        var code = colon > 0 ? reason[..colon] : reason;
        Assert.True(Codes.Contains(code), $"{input}: reason '{reason}' has no known code");
        Assert.True(result.Field is not null && Fields.Contains(result.Field), $"{input}: field '{result.Field}'");
        Assert.True(reason.Length <= 1_024, $"{input}: a reason of {reason.Length} characters");
        return code;
    }
}
