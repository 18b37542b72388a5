using System.Globalization;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>The feeder's command line: <c>--products N --rate R --duration S --bootstrap host:port [--duplicates f] [--late f] [--format json|avro] [--registry url]</c>.</summary>
public sealed record FeedArguments(int Products, int Rate, int DurationSeconds, string Bootstrap, double DuplicateShare, double LateSnapshotShare, string Format = "json", string Registry = "http://127.0.0.1:8081")
{
    public static FeedArguments Parse(string[] args, string defaultBootstrap = "127.0.0.1:9092")
    {
        ArgumentNullException.ThrowIfNull(args);
        string? Value(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        return new FeedArguments(
            int.Parse(Value("--products") ?? "10000", CultureInfo.InvariantCulture),
            int.Parse(Value("--rate") ?? "10000", CultureInfo.InvariantCulture),
            int.Parse(Value("--duration") ?? "30", CultureInfo.InvariantCulture),
            Value("--bootstrap") ?? defaultBootstrap,
            double.Parse(Value("--duplicates") ?? "0.02", CultureInfo.InvariantCulture),
            double.Parse(Value("--late") ?? "0.05", CultureInfo.InvariantCulture),
            Value("--format") ?? "json",
            Value("--registry") ?? "http://127.0.0.1:8081");
    }
}
