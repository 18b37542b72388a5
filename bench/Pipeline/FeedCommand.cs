using System.Diagnostics;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// <c>bench -- feed --products N --rate R --duration S --bootstrap host:port [--duplicates 0.02] [--late 0.05]</c>:
/// writes a realistic event stream to a running silo's broker.
/// </summary>
public static class FeedCommand
{
    public static int Run(string[] args)
    {
        var options = FeedArguments.Parse(args);
        using var feeder = new EventFeeder(options.Bootstrap, new StreamGenerator(options.Products, options.DuplicateShare, options.LateSnapshotShare));
        var clock = Stopwatch.StartNew();
        var sent = feeder.Feed(options.Rate, TimeSpan.FromSeconds(options.DurationSeconds));
        Console.WriteLine($"fed {sent:N0} events for {options.Products:N0} products in {clock.Elapsed.TotalSeconds:N1} s ({sent / clock.Elapsed.TotalSeconds:N0} events/s) to {options.Bootstrap}");
        return 0;
    }
}
