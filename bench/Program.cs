// Benchmarks: `dotnet run -c Release --project bench -- <case> [BenchmarkDotNet args]`. One case per area.
var command = args.Length > 0 ? args[0] : string.Empty;
var rest = args.Skip(1).ToArray();

switch (command)
{
    case "grains":
        return InventoryOrleans.Bench.GrainCalls.GrainCallsCommand.Run(rest);
    case "broker":
        return InventoryOrleans.Bench.Broker.BrokerThroughputCommand.Run(rest);
    case "pipeline":
        return InventoryOrleans.Bench.Pipeline.PipelineBenchCommand.Run(rest);
    case "feed":
        return InventoryOrleans.Bench.Pipeline.FeedCommand.Run(rest);
    case "window":
        return InventoryOrleans.Bench.Window.WindowWriteCommand.Run(rest);
    default:
        Console.Error.WriteLine("usage: dotnet run -c Release --project bench -- <case> [BenchmarkDotNet args]");
        Console.Error.WriteLine("cases: grains, broker, pipeline, feed, window");
        return 1;
}
