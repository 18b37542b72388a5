using System.Globalization;
using InventoryOrleans.Silo.Tests;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Api.Tests.Executables;

/// <summary>
/// The standalone Api executable as an operator runs it (<c>dotnet InventoryOrleans.Api.dll --urls …</c>), in a session
/// of its own, on free ports, with only the settings the test gives (none inherited from the developer's shell).
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private static readonly string[] InheritedPrefixes =
        ["Kafka__", "Redis__", "Orleans__", "Api__", "Logging__", "Kestrel__", "ASPNETCORE_", "HTTP_PORTS", "HTTPS_PORTS", "DOTNET_ENVIRONMENT"];

    private ApiProcess(ChildProcess process, int http, int grpc)
    {
        Process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{http}");
        GrpcAddress = new Uri($"http://127.0.0.1:{grpc}");
    }

    public ChildProcess Process { get; }

    public Uri BaseAddress { get; }

    public Uri GrpcAddress { get; }

    /// <summary>
    /// Starts the executable; <paramref name="urls"/> defaults to a free loopback port. <paramref name="arguments"/>
    /// replace <c>--urls</c> altogether (e.g. none, for a test of <c>HTTP_PORTS</c>).
    /// </summary>
    public static async Task<ApiProcess> StartAsync(
        string name,
        string workingDirectory,
        IReadOnlyDictionary<string, string?> settings,
        string? urls = null,
        IReadOnlyList<string>? arguments = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (http, grpc) = (FreePort.Next(), FreePort.Next());
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (InheritedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
            {
                environment[key] = null;
            }
        }

        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["Api__GrpcUrl"] = $"http://127.0.0.1:{grpc.ToString(CultureInfo.InvariantCulture)}";
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "InventoryOrleans.Api.dll");
        var process = await ChildProcess.StartAsync(name, workingDirectory, "dotnet", [dll, .. arguments ?? ["--urls", urls ?? $"http://127.0.0.1:{http}"]], environment);
        return new ApiProcess(process, http, grpc);
    }

    /// <summary>Waits until <c>/readyz</c> answers 200: the Orleans cluster answers through this host, the broker too.</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    Assert.False(Process.HasExited, $"{Process.Name} exited during start-up:\n{Process.Tail(80)}");
                    try
                    {
                        using var ready = await http.GetAsync(new Uri(BaseAddress, "/readyz"));
                        return ready.IsSuccessStatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return false;
                    }
                },
                timeout,
                $"{Process.Name} answers 200 on /readyz");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{Process.Name} output:\n{Process.Tail(80)}", e);
        }
    }

    public async ValueTask DisposeAsync() => await Process.DisposeAsync();
}
