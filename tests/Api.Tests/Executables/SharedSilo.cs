using InventoryOrleans.Silo.Tests;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Api.Tests.Executables;

/// <summary>
/// One silo executable (embedded DevBroker and Garnet, <see cref="Key"/> as its API key) for the tests of a class that
/// need a cluster for Api hosts to join, started by the first test that asks for it — a filtered run of the class's
/// other tests starts none.
/// </summary>
public sealed class SharedSilo : IAsyncLifetime
{
    public const string Key = "shared-silo-key";
    private readonly TempDirectories _directories = new();
    private readonly Lazy<Task<SiloProcess>> _silo;

    public SharedSilo() => _silo = new Lazy<Task<SiloProcess>>(StartAsync);

    /// <summary>The silo, ready (<c>/readyz</c> 200); an Api host joins it through its Garnet and produces to its broker.</summary>
    public Task<SiloProcess> ReadyAsync() => _silo.Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_silo.IsValueCreated)
        {
            // A silo that never became ready was stopped already, and the test that asked saw why.
            var start = _silo.Value;
            await ((Task)start).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (start.IsCompletedSuccessfully)
            {
                await start.Result.DisposeAsync();
            }
        }

        _directories.Dispose();
    }

    private async Task<SiloProcess> StartAsync()
    {
        var silo = await SiloProcess.StartAsync("shared-silo", _directories.New("api-exe-shared-silo-"), SiloPorts.Free(), new Dictionary<string, string?> { ["Api__Keys"] = Key });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await silo.WaitUntilReadyAsync(http, SiloTimeouts.Start);
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }
}
