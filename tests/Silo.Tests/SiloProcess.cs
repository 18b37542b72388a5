using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.Silo.Tests;

/// <summary>
/// The silo executable as an operator runs it (<c>dotnet InventoryOrleans.Silo.dll</c>), in a session of its own, on
/// its own free ports and in a temporary working directory. With no settings it runs its embedded defaults (DevBroker
/// and Garnet, their data under <c>data/</c> of that directory); with <c>Kafka__BootstrapServers</c> and
/// <c>Redis__ConnectionString</c> it joins an outside broker and Redis. Only ports move off the defaults.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    // Settings a developer's shell may carry that would change what the executable does; the test sets its own.
    private static readonly string[] InheritedPrefixes =
        ["Kafka__", "Redis__", "Garnet__", "DevBroker__", "Orleans__", "ProductGrain__", "Inventory__", "Api__", "Logging__", "Kestrel__", "ASPNETCORE_", "HTTP_PORTS", "HTTPS_PORTS", "DOTNET_ENVIRONMENT", "DOTNET_gcServer"];

    private SiloProcess(ChildProcess process, SiloPorts ports, string workingDirectory)
    {
        Process = process;
        Ports = ports;
        WorkingDirectory = workingDirectory;
    }

    public ChildProcess Process { get; }

    public string Name => Process.Name;

    public SiloPorts Ports { get; }

    public string WorkingDirectory { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Ports.Http}");

    /// <summary>The embedded DevBroker (embedded default only).</summary>
    public string Bootstrap => $"127.0.0.1:{Ports.Broker}";

    /// <summary>The embedded Garnet (embedded default only).</summary>
    public string GarnetConnectionString => $"127.0.0.1:{Ports.Garnet},abortConnect=false,connectTimeout=2000,syncTimeout=5000";

    /// <summary>
    /// Starts the executable; with <paramref name="wrapper"/> (a program and its arguments, e.g. strace) the silo's
    /// command line is appended to it and the wrapper runs it. <paramref name="arguments"/> replace the default
    /// <c>--urls http://127.0.0.1:&lt;Ports.Http&gt;</c> (e.g. none, for a test of <c>HTTP_PORTS</c>).
    /// </summary>
    public static async Task<SiloProcess> StartAsync(
        string name,
        string workingDirectory,
        SiloPorts ports,
        IReadOnlyDictionary<string, string?>? settings = null,
        IReadOnlyList<string>? wrapper = null,
        IReadOnlyList<string>? arguments = null)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<object>().Select(k => (string)k))
        {
            if (InheritedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
            {
                environment[key] = null;
            }
        }

        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["DevBroker__Port"] = ports.Broker.ToString(CultureInfo.InvariantCulture);
        environment["DevBroker__SchemaRegistryPort"] = ports.Registry.ToString(CultureInfo.InvariantCulture);
        environment["Garnet__Port"] = ports.Garnet.ToString(CultureInfo.InvariantCulture);
        environment["Orleans__SiloPort"] = ports.Silo.ToString(CultureInfo.InvariantCulture);
        environment["Orleans__GatewayPort"] = ports.Gateway.ToString(CultureInfo.InvariantCulture);
        environment["Api__GrpcUrl"] = $"http://127.0.0.1:{ports.Grpc}";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var siloDll = Path.Combine(AppContext.BaseDirectory, "InventoryOrleans.Silo.dll");
        string[] command = [.. wrapper ?? [], "dotnet", siloDll, .. arguments ?? ["--urls", $"http://127.0.0.1:{ports.Http}"]];
        var process = await ChildProcess.StartAsync(name, workingDirectory, command[0], command[1..], environment);
        return new SiloProcess(process, ports, workingDirectory);
    }

    /// <summary>Waits until <c>/healthz</c> and <c>/readyz</c> answer 200 (broker and Redis reachable, partitions assigned).</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    Assert.False(Process.HasExited, $"{Name} exited during start-up:\n{Process.Tail(80)}");
                    try
                    {
                        using var healthz = await http.GetAsync(new Uri(BaseAddress, "/healthz"));
                        using var readyz = await http.GetAsync(new Uri(BaseAddress, "/readyz"));
                        return healthz.IsSuccessStatusCode && readyz.IsSuccessStatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return false;
                    }
                },
                timeout,
                $"{Name} answers 200 on /healthz and /readyz");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{Name} output:\n{Process.Tail(80)}", e);
        }
    }

    /// <summary>The <c>/readyz</c> body, or null when the silo does not answer.</summary>
    public async Task<JsonElement?> ReadinessAsync(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            using var response = await http.GetAsync(new Uri(BaseAddress, "/readyz"));
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary><c>GET /api/stock/{productId}</c>: the status and, with 200, the stock.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Stock)> GetStockAsync(HttpClient http, string productId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.GetAsync(new Uri(BaseAddress, "/api/stock/" + Uri.EscapeDataString(productId)), cancellationToken);
        var body = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken) : default;
        return (response.StatusCode, body);
    }

    public async ValueTask DisposeAsync() => await Process.DisposeAsync();
}
