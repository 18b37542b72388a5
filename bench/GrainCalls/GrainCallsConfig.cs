using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace InventoryOrleans.Bench.GrainCalls;

/// <summary>
/// A short job (one launch, 15 iterations; the machine is shared, so read the median) that takes a few minutes on the 2-core
/// machine; reports calls/s. In-process: a separate process would rebuild the whole solution from a generated project, which
/// is slow and clashes with other builds of the tree.
/// </summary>
internal sealed class GrainCallsConfig : ManualConfig
{
    public GrainCallsConfig()
    {
        AddJob(Job.ShortRun.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.OperationsPerSecond);
    }
}
