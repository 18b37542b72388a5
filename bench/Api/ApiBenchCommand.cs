using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime;
using Grpc.Net.Client;
using InventoryOrleans.Api.Grpc;
using InventoryOrleans.Bench.Hosting;

namespace InventoryOrleans.Bench.Api;

/// <summary>
/// <c>bench -- api [--products 1000] [--callers 64] [--seconds 10] [--rate 1000] [--wait-seconds 20]</c>: the API served
/// by one silo in this process (<see cref="ApiBenchHost"/>: DevBroker with a file-backed log, a real redis-server).
/// Measures with <c>callers</c> concurrent clients for <c>seconds</c> each: the trivial REST endpoint and
/// <c>GET /api/stock/{id}</c> (req/s), the trivial gRPC endpoint and <c>Inventory/GetStock</c> (calls/s), each read
/// against its baseline (aim: a stock read costs at most 2× the trivial endpoint); then, paced at <c>rate</c> per
/// second for <c>wait-seconds</c>, posting a sale and waiting for its outcome: <c>POST /api/sales?wait=true</c> and gRPC
/// <c>PostEvent</c> with <c>wait_for_outcome</c> (p50 / p99; aim: p99 at most 50 ms).
/// </summary>
internal static class ApiBenchCommand
{
    public static int Run(string[] args)
    {
        var options = new BenchArguments(args);
        var settings = new ApiBenchSettings(
            Products: options.Int("--products", 1_000),
            Callers: options.Int("--callers", 64),
            Seconds: options.Int("--seconds", 10),
            Rate: options.Int("--rate", 1_000),
            WaitSeconds: options.Int("--wait-seconds", 20));
        RunAsync(settings).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(ApiBenchSettings settings)
    {
        await using var backends = await BenchBackends.StartAsync("api-bench");
        var partitions = backends.Partitions;
        await using var host = await ApiBenchHost.StartAsync(backends.Broker.BootstrapServers, backends.Redis.ConnectionString);
        await UntilAsync(() => host.OwnedPartitions.Count == partitions, TimeSpan.FromSeconds(60), "the silo consumes every partition");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Callers }) { BaseAddress = host.RestAddress };
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var inventory = new Inventory.InventoryClient(channel);
        var baseline = new Baseline.Baseline.BaselineClient(channel);
        var products = Enumerable.Range(0, settings.Products).Select(i => string.Create(CultureInfo.InvariantCulture, $"bench-{i:D6}")).ToArray();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"api: 1 silo serving REST (HTTP/1.1) and gRPC (h2c) in this process, DevBroker + redis-server, {partitions} partitions, {settings.Products:N0} products; {settings.Callers} concurrent callers, {settings.Seconds} s per case; server GC {GCSettings.IsServerGC}, {Environment.ProcessorCount} cores"));

        await SeedAsync(inventory, products);
        Console.WriteLine($"{"reads",-52} {"per second",12} {"failed",8} {"cost vs. trivial",17}");
        var restTrivial = await ReadCaseAsync(settings, "REST GET " + ApiBenchHost.TrivialPath + " (trivial)", null, async _ =>
        {
            using var response = await http.GetAsync(new Uri(ApiBenchHost.TrivialPath, UriKind.Relative));
            response.EnsureSuccessStatusCode();
            await response.Content.LoadIntoBufferAsync();
        });
        await ReadCaseAsync(settings, "REST GET /api/stock/{id}", restTrivial, async i =>
        {
            using var response = await http.GetAsync(new Uri($"/api/stock/{products[i % products.Length]}", UriKind.Relative));
            response.EnsureSuccessStatusCode();
            await response.Content.LoadIntoBufferAsync();
        });

        var grpcTrivial = await ReadCaseAsync(settings, "gRPC bench.v1.Baseline/GetStock (trivial)", null, async i =>
            await baseline.GetStockAsync(new GetStockRequest { ProductId = products[i % products.Length] }));
        await ReadCaseAsync(settings, "gRPC inventory.v1.Inventory/GetStock", grpcTrivial, async i =>
            await inventory.GetStockAsync(new GetStockRequest { ProductId = products[i % products.Length] }));

        Console.WriteLine($"{"posts with wait, paced",-52} {"offered/s",12} {"failed",8} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
        await WaitCaseAsync(settings, "REST POST /api/sales?wait=true", async i =>
        {
            using var response = await http.PostAsJsonAsync(new Uri("/api/sales?wait=true", UriKind.Relative), new { productId = products[i % products.Length], quantity = 1 });
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new HttpRequestException($"POST /api/sales?wait=true answered {(int)response.StatusCode}");
            }
        });

        await WaitCaseAsync(settings, "gRPC PostEvent (sale, wait_for_outcome)", async i =>
        {
            var posted = await inventory.PostEventAsync(new PostEventRequest
            {
                Event = new InventoryEvent { Type = EventType.Sale, ProductId = products[i % products.Length], Quantity = 1 },
                WaitForOutcome = true,
            });
            if (posted.Outcome?.Status != OutcomeStatus.Applied)
            {
                throw new InvalidOperationException($"sale {posted.EventId}: {posted.Outcome?.Status}");
            }
        });
    }

    // Every product gets stock first, so each read finds one (and its grain is active, as in steady state).
    private static async Task SeedAsync(Inventory.InventoryClient inventory, string[] products)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(products, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (productId, _) =>
            await inventory.PostEventAsync(new PostEventRequest
            {
                Event = new InventoryEvent { Type = EventType.Receipt, ProductId = productId, Quantity = 1_000_000 },
                WaitForOutcome = true,
            }));
        Console.WriteLine($"  seeded {products.Length:N0} products through gRPC PostEvent with wait in {clock.Elapsed.TotalSeconds:N1} s");
    }

    // A short unmeasured run first: connections, JIT and caches are warm when the measured one starts.
    private static async Task<double> ReadCaseAsync(ApiBenchSettings settings, string name, double? trivial, Func<int, Task> call)
    {
        await ClosedLoop.RunAsync(settings.Callers, TimeSpan.FromSeconds(Math.Min(2, settings.Seconds)), call);
        var (perSecond, _, failures) = await ClosedLoop.RunAsync(settings.Callers, TimeSpan.FromSeconds(settings.Seconds), call);
        var cost = trivial is { } baseline ? string.Create(CultureInfo.InvariantCulture, $"{baseline / perSecond:N2}×") : "baseline";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-52} {perSecond,12:N0} {failures,8:N0} {cost,17}"));
        return perSecond;
    }

    private static async Task WaitCaseAsync(ApiBenchSettings settings, string name, Func<int, Task> call)
    {
        var summary = await PacedRun.RunAsync(settings.Rate, TimeSpan.FromSeconds(settings.WaitSeconds), call);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-52} {summary.OfferedPerSecond,12:N0} {summary.Failures,8:N0} {summary.Percentile(0.50),8:N1} {summary.Percentile(0.99),8:N1} {summary.Percentile(1),8:N1}"));
    }

    private static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds:N0} s: {what}");
            }

            await Task.Delay(50);
        }
    }

    private sealed record ApiBenchSettings(int Products, int Callers, int Seconds, int Rate, int WaitSeconds);
}
