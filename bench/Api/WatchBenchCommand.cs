using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using InventoryOrleans.Bench.Hosting;

namespace InventoryOrleans.Bench.Api;

/// <summary>
/// <c>bench -- watch [--watchers 100] [--products 10] [--changes 400] [--rate 40]</c>: live change latency and CPU with
/// many watchers. One silo serving the API in this process (<see cref="ApiBenchHost"/>), <c>watchers</c> SSE change
/// streams (<c>GET /api/stock/{id}/changes</c>) spread evenly over <c>products</c>, then <c>changes</c> sales posted with
/// <c>?wait=false</c> at <c>rate</c> per second, round-robin over the products. Latency: from the post being sent to the
/// SSE event that carries its eventId (<c>lastEventId</c>) reaching a watcher, per watcher and event (p50 / p99 / max);
/// events a watcher skipped to a newer version (it may only skip, never repeat) are counted. CPU: this process's
/// processor time over the posting phase (silo, API and the clients), in cores.
/// Only HTTP is used, so the same file measures any build of the API.
/// </summary>
internal static class WatchBenchCommand
{
    public static int Run(string[] args)
    {
        var options = new BenchArguments(args);
        RunAsync(options.Int("--watchers", 100), options.Int("--products", 10), options.Int("--changes", 400), options.Int("--rate", 40)).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(int watchers, int productCount, int changes, int rate)
    {
        await using var backends = await BenchBackends.StartAsync("watch-bench");
        await using var host = await ApiBenchHost.StartAsync(backends.Broker.BootstrapServers, backends.Redis.ConnectionString);
        var deadline = Stopwatch.StartNew();
        while (host.OwnedPartitions.Count != backends.Partitions)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("the silo does not consume every partition");
            }

            await Task.Delay(100);
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = watchers + 16 }) { BaseAddress = host.RestAddress, Timeout = Timeout.InfiniteTimeSpan };
        var run = Guid.NewGuid().ToString("N")[..8];
        var products = Enumerable.Range(0, productCount).Select(i => string.Create(CultureInfo.InvariantCulture, $"watch-{run}-{i:D3}")).ToArray();
        foreach (var productId in products)
        {
            await PostAsync(http, "/api/events?wait=true", $$"""{"type":"Receipt","productId":"{{productId}}","quantity":100000000,"eventId":"seed-{{productId}}"}""");
        }

        var sentAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<double>();
        var received = 0L;
        using var stop = new CancellationTokenSource();
        var opened = new CountdownEvent(watchers);
        var readers = Enumerable.Range(0, watchers)
            .Select(i => Task.Run(() => WatchAsync(http, products[i % productCount], sentAt, latencies, () => Interlocked.Increment(ref received), opened, stop.Token)))
            .ToList();
        if (!opened.Wait(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException("the watchers did not all get their first stock");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"watch: 1 silo serving the API in this process, DevBroker + {backends.Redis.Description}, {backends.Partitions} partitions; {watchers} SSE watchers over {productCount} products; {changes} sales posted (?wait=false) at {rate}/s; {Environment.ProcessorCount} cores"));
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        for (var i = 0; i < changes; i++)
        {
            var due = interval * i;
            if (due > wall.Elapsed)
            {
                await Task.Delay(due - wall.Elapsed);
            }

            var productId = products[i % productCount];
            var eventId = string.Create(CultureInfo.InvariantCulture, $"sale-{run}-{i}");
            sentAt[eventId] = Stopwatch.GetTimestamp();
            _ = PostAsync(http, "/api/sales?wait=false", $$"""{"productId":"{{productId}}","quantity":1,"eventId":"{{eventId}}"}""");
        }

        // Every watcher should have its product's last change; give the tail of the run a moment.
        var expected = (long)watchers * changes / productCount;
        var drain = Stopwatch.StartNew();
        while (latencies.Count < expected && drain.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        var seconds = wall.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        var sorted = latencies.OrderBy(l => l).ToArray();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"events {sorted.Length:N0} of {expected:N0} (skipped to newer {expected - sorted.Length:N0}); latency post -> SSE event p50 {Percentile(sorted, 0.50):F1} ms, p99 {Percentile(sorted, 0.99):F1} ms, max {(sorted.Length > 0 ? sorted[^1] : double.NaN):F1} ms; CPU {cpu:F1} s over {seconds:F1} s = {cpu / seconds:F2} cores"));
    }

    private static async Task WatchAsync(HttpClient http, string productId, ConcurrentDictionary<string, long> sentAt, ConcurrentBag<double> latencies, Action counted, CountdownEvent opened, CancellationToken stop)
    {
        var first = true;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/stock/{productId}/changes");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop), Encoding.UTF8);
            while (await reader.ReadLineAsync(stop) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                var now = Stopwatch.GetTimestamp();
                if (first)
                {
                    first = false;
                    opened.Signal();
                    continue;
                }

                using var stock = JsonDocument.Parse(line.AsMemory(6));
                if (stock.RootElement.GetProperty("lastEventId").GetString() is { } eventId && sentAt.TryGetValue(eventId, out var sent))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
                    counted();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    private static async Task PostAsync(HttpClient http, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
