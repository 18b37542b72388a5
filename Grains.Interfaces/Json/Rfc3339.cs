using System.Globalization;

namespace InventoryOrleans.Grains.Interfaces.Json;

/// <summary>Strict RFC 3339 date-time parsing: a full date, a time and an explicit offset (<c>Z</c> or <c>±hh:mm</c>).</summary>
public static class Rfc3339
{
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;

        // yyyy-MM-ddTHH:mm:ss + offset is the shortest form; DateTimeOffset.TryParse alone would accept local times and other layouts.
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] is not ('T' or 't' or ' ') || text[13] != ':' || text[16] != ':')
        {
            return false;
        }

        var last = text[^1];
        var hasOffset = last is 'Z' or 'z'
            || (text.Length >= 25 && text[^6] is '+' or '-' && text[^3] == ':' && char.IsAsciiDigit(last));
        if (!hasOffset)
        {
            return false;
        }

        return DateTimeOffset.TryParse(
            text.Replace('t', 'T').Replace('z', 'Z'),
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out value);
    }
}
