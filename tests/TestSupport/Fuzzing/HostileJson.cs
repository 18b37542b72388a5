using System.Text;

namespace InventoryOrleans.TestSupport.Fuzzing;

/// <summary>
/// The raw JSON values and byte sequences hostile input is made of: numbers at and past every bound a reader has, strings
/// with escapes, surrogates and almost-timestamps, malformed UTF-8, and documents too deep or too large to read.
/// </summary>
public static class HostileJson
{
    /// <summary>Numbers a reader may take wrongly: beyond 64 bits, beyond double, negative zero, the quantity bound, and non-JSON forms.</summary>
    public static readonly string[] Numbers =
    [
        "0", "2", "-0", "-0.0", "0.0", "1e400", "-1e400", "1e-400", "1E2", "0.1e1", "4.5",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "123456789012345678901234567890", "1000000000", "1000000001", "-1000000000", "-1000000001",
        "00", "01", "+1", "-", ".5", "5.", "1e", "NaN", "Infinity", "-Infinity", "0x10", "1_000",
    ];

    /// <summary>String literals (raw JSON, quotes included), some of them not valid JSON.</summary>
    public static readonly string[] Strings =
    [
        "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\\ude00\"", "\"😀\"", "\"ß\"", "\"\\\"\"",
        "\"\\\\\"", "\"a\\nb\"", "\"\t\"", "\"\\x41\"", "\"\\u12\"", "\"Sale\"", "\"sale\"", "\"SALE\"", "\"Sale \"",
        "\"S\\u0061le\"", "\"3\"", "\"Snapshot\"", "\"LowStockThreshold\"", "\"2026-01-31T12:00:00Z\"", "\"2026-02-30T00:00:00Z\"",
        "\"9999-12-31T23:59:59-14:00\"", "\"0001-01-01T00:00:00+14:00\"", "\"2026-01-31T23:59:60Z\"",
        "\"2026-01-31T12:00:00.1234567891234Z\"", "\"2026-01-31t12:00:00z\"", "\"2026-01-31 12:00:00Z\"", "\"+12026-01-31T12:00:00Z\"",
        "\"2026-01-31T12:00:00+24:00\"", "\"default\"", "\"p-1\"",
    ];

    /// <summary>Values of every other kind.</summary>
    public static readonly string[] Others = ["true", "false", "null", "[]", "{}", "[1,2,3]", "{\"a\":1}", "[\"Sale\"]", "{\"$ref\":\"x\"}"];

    /// <summary>Byte sequences that are not UTF-8: stray bytes, truncated, overlong, surrogates, beyond U+10FFFF.</summary>
    public static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE], [0xC3], [0x80], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ];

    /// <summary>The UTF-8 byte order mark.</summary>
    public static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    /// <summary>Any value of the tables above.</summary>
    public static string AnyValue(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.Next(3) switch
        {
            0 => Numbers[random.Next(Numbers.Length)],
            1 => Strings[random.Next(Strings.Length)],
            _ => Others[random.Next(Others.Length)],
        };
    }

    /// <summary>A string literal of <paramref name="length"/> characters.</summary>
    public static string LongString(int length, char fill = 'x') => string.Concat("\"", new string(fill, length), "\"");

    /// <summary>Arrays or objects nested <paramref name="depth"/> levels deep; unclosed when <paramref name="closed"/> is false.</summary>
    public static string Nested(int depth, bool objects, bool closed = true)
    {
        var json = new StringBuilder(depth * 6);
        for (var i = 0; i < depth; i++)
        {
            json.Append(objects ? "{\"a\":" : "[");
        }

        json.Append('1');
        if (closed)
        {
            json.Append(objects ? '}' : ']', depth);
        }

        return json.ToString();
    }

    /// <summary>A random well-formed JSON value, at most <paramref name="depth"/> levels deep.</summary>
    public static string RandomValue(Random random, int depth)
    {
        ArgumentNullException.ThrowIfNull(random);
        var kind = random.Next(depth > 0 ? 6 : 4);
        switch (kind)
        {
            case 0: return random.Next(-5, 5).ToString(System.Globalization.CultureInfo.InvariantCulture);
            case 1: return Strings[random.Next(Strings.Length)];
            case 2: return random.Next(2) == 0 ? "true" : "null";
            case 3: return Numbers[random.Next(Numbers.Length)];
            case 4: return "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(random, depth - 1))) + "]";
            default:
                var names = new[] { "eventId", "type", "productId", "quantity", "occurredAt", "x", "" };
                return "{" + string.Join(",", Enumerable.Range(0, random.Next(5)).Select(_ => $"\"{names[random.Next(names.Length)]}\":{RandomValue(random, depth - 1)}")) + "}";
        }
    }
}
