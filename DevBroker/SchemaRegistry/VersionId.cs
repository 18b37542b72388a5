using System.Globalization;

namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>A version in a path: a number from 1, or "latest" (also −1, as Confluent takes it).</summary>
public readonly record struct VersionId(int Number)
{
    public bool IsLatest => Number == -1;

    /// <summary>The version, or 42202 when the text is neither.</summary>
    public static RegistryOutcome<VersionId> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.Equals(text.Trim(), "latest", StringComparison.OrdinalIgnoreCase))
        {
            return new VersionId(-1);
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number is -1 or >= 1
            ? new VersionId(number)
            : RegistryError.InvalidVersion(text);
    }
}
