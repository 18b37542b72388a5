using System.Globalization;

namespace InventoryOrleans.Bench.Hosting;

/// <summary>Reads <c>--name value</c> options of a benchmark's command line.</summary>
internal sealed class BenchArguments(string[] args)
{
    public int Int(string name, int fallback) => Value(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public int? OptionalInt(string name) => Value(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;

    public string? Value(string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
