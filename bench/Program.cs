// Benchmarks: `dotnet run -c Release --project bench -- <case> [options]`. One case per area, each against a baseline in the same run.
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
    case "api":
        return InventoryOrleans.Bench.Api.ApiBenchCommand.Run(rest);
    case "watch":
        return InventoryOrleans.Bench.Api.WatchBenchCommand.Run(rest);
    case "tail":
        return InventoryOrleans.Bench.Api.TailBenchCommand.Run(rest);
    case "soak":
        return InventoryOrleans.Bench.Soak.SoakCommand.Run(rest);
    default:
        Console.Error.WriteLine("usage: dotnet run -c Release --project bench -- <case> [options]");
        Console.Error.WriteLine("  grains   [--keys 10000] [--callers 64] [--calls 2000] [--rounds 5]");
        Console.Error.WriteLine("  pipeline [--products 10000] [--events 300000] [--silos 1] [--stagger 0] [--rate 10000] [--duration 20] [--parallel 256] [--fetch-wait 20] [--window N] [--batch N] [--stores memory,everysec,always,garnet,garnet-commit-wait,garnet-before] [--transactions on,off] [--sweep [1000,10000,100000]]");
        Console.Error.WriteLine("  window   [--writes 400] [--events 5] [--fill 10000] [--stores memory,everysec,always,garnet,garnet-commit-wait,garnet-before]");
        Console.Error.WriteLine("  api      [--products 1000] [--callers 64] [--seconds 10] [--rate 1000] [--wait-seconds 20]");
        Console.Error.WriteLine("  watch    [--watchers 100] [--products 10] [--changes 400] [--rate 40]");
        Console.Error.WriteLine("  tail     [--records 300000] [--products 100000] [--transaction 1000] [--rounds 3]");
        Console.Error.WriteLine("  soak     [--minutes 10] [--rate 2000] [--products 10000] [--hot 20] [--hot-share 0.3] [--watchers 200] [--store memory] [--window N]");
        Console.Error.WriteLine("  broker   [records] [partitions] [--data-dir path] [--batch-bytes n] [--fetch-bytes n] [--bootstrap host:port] [--kestrel]");
        Console.Error.WriteLine("  feed     --bootstrap host:port [--products 10000] [--rate 10000] [--duration 30] [--duplicates 0.02] [--late 0.05]");
        return 1;
}
