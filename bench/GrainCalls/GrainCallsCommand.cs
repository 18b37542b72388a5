using BenchmarkDotNet.Running;

namespace InventoryOrleans.Bench.GrainCalls;

/// <summary>Entry of <c>bench -- grains [BenchmarkDotNet args]</c>.</summary>
internal static class GrainCallsCommand
{
    public static int Run(string[] args)
    {
        BenchmarkRunner.Run<GrainCallBenchmarks>(args: args);
        return 0;
    }
}
