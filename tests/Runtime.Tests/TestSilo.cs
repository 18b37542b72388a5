using InventoryOrleans.Runtime.Tests.TestGrains;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Runtime.Tests;

/// <summary>A grain runtime with the test grains, its own services and a storage provider (a temporary SQLite file unless given).</summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly TempSqliteFile? _file;

    private TestSilo(ServiceProvider services, TempSqliteFile? file)
    {
        _services = services;
        _file = file;
        Runtime = services.GetRequiredService<GrainRuntime>();
        Probe = services.GetRequiredService<GrainProbe>();
    }

    public GrainRuntime Runtime { get; }

    public GrainProbe Probe { get; }

    public IGrainFactory Factory => Runtime;

    public static async Task<TestSilo> StartAsync(
        Action<IServiceCollection>? storage = null,
        TimeProvider? time = null,
        Action<GrainRuntimeOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        TempSqliteFile? file = null;
        if (storage is null)
        {
            file = new TempSqliteFile();
            services.AddSqliteGrainStorage(file.Path);
        }
        else
        {
            storage(services);
        }

        services.AddSingleton<GrainProbe>();
        services.AddGrainRuntime(configure)
            .AddGrain<ICounterGrain, CounterGrain>()
            .AddGrain<IOverlapGrain, OverlapGrain>()
            .AddGrain<IMeetingGrain, MeetingGrain>()
            .AddGrain<IBlockingGrain, BlockingGrain>();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var silo = new TestSilo(provider, file);
        await silo.Runtime.StartAsync(CancellationToken.None);
        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        // Blocked test grains must not hold up shutdown; bounded, so a deactivation that never finishes fails the test instead of hanging the run.
        Probe.Gate.TrySetResult();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Runtime.StopAsync(timeout.Token);
        await _services.DisposeAsync();
        _file?.Dispose();
    }
}
