using System.Diagnostics;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// <c>bench -- feed --products N --rate R --duration S --bootstrap host:port [--duplicates 0.02] [--late 0.05]
/// [--format json|avro] [--registry http://127.0.0.1:8081]</c>: writes a realistic event stream to a running silo's
/// broker, as JSON or as Confluent-framed Avro (InventoryEvent.avsc registered at the registry first).
/// </summary>
public static class FeedCommand
{
    public static int Run(string[] args)
    {
        var options = FeedArguments.Parse(args);
        if (options.Format is not ("json" or "avro"))
        {
            Console.Error.WriteLine($"--format {options.Format}: use json (default) or avro");
            return 2;
        }

        using var avro = options.Format == "avro" ? AvroEventValues.RegisterAsync(options.Registry).GetAwaiter().GetResult() : null;
        using var feeder = new EventFeeder(options.Bootstrap, new StreamGenerator(options.Products, options.DuplicateShare, options.LateSnapshotShare), avro);
        var clock = Stopwatch.StartNew();
        var sent = feeder.Feed(options.Rate, TimeSpan.FromSeconds(options.DurationSeconds));
        Console.WriteLine($"fed {sent:N0} events for {options.Products:N0} products in {clock.Elapsed.TotalSeconds:N1} s ({sent / clock.Elapsed.TotalSeconds:N0} events/s) as {options.Format} to {options.Bootstrap}");
        return 0;
    }
}
