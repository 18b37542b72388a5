using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>
/// Feeds events at a fixed rate and times each from the moment it is handed to the producer until the net-stock
/// record that names it as its last event arrives. The first seconds are left out as warm-up (they activate grains
/// the backlog did not touch, a storage read each).
/// </summary>
internal static class LatencyProbe
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public static (double P50, double P99, int Samples) Measure(string bootstrap, StreamGenerator generator, AvroEventValues? avro, int partitions, int rate, TimeSpan duration)
    {
        var produced = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<(long At, double Ms)>();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            // Only what committed transactions wrote (aborted attempts of a silo that failed are never seen).
            IsolationLevel = IsolationLevel.ReadCommitted,
            BootstrapServers = bootstrap,
            GroupId = "bench-latency",
            EnableAutoCommit = false,
            FetchWaitMaxMs = 5,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(Topics.NetStock, p, Offset.End)));
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(50));
                if (record is null)
                {
                    continue;
                }

                // The net-stock record names the last event it includes: its latency is that event's produce → record time.
                var now = Stopwatch.GetTimestamp();
                using var json = JsonDocument.Parse(record.Message.Value);
                if (json.RootElement.GetProperty("lastEventId").GetString() is { } eventId && produced.TryRemove(eventId, out var at))
                {
                    latencies.Add((at, Stopwatch.GetElapsedTime(at, now).TotalMilliseconds));
                }
            }
        });

        // Let the consumer reach the end before timing starts.
        Thread.Sleep(1_000);
        var warmUpUntil = Stopwatch.GetTimestamp() + (long)(WarmUp.TotalSeconds * Stopwatch.Frequency);
        void Record(string eventId, long at)
        {
            if (at > warmUpUntil)
            {
                produced[eventId] = at;
            }
        }

        using (var feeder = new EventFeeder(bootstrap, generator, avro) { OnProduced = Record })
        {
            feeder.Feed(rate, duration + WarmUp);
        }

        Thread.Sleep(2_000);
        stop.Cancel();
        reader.Wait();
        if (Environment.GetEnvironmentVariable("BENCH_LATENCY_TIMELINE") is not null && !latencies.IsEmpty)
        {
            var start = latencies.Min(l => l.At);
            foreach (var second in latencies.GroupBy(l => (int)Stopwatch.GetElapsedTime(start, l.At).TotalSeconds).OrderBy(g => g.Key))
            {
                var ms = second.Select(l => l.Ms).Order().ToArray();
                Console.WriteLine($"  second {second.Key}: n={ms.Length} p50={ms[ms.Length / 2]:N1} p99={ms[(int)(ms.Length * 0.99)]:N1} max={ms[^1]:N1}");
            }
        }

        var sorted = latencies.Select(l => l.Ms).Order().ToArray();
        return sorted.Length == 0 ? (double.NaN, double.NaN, 0) : (sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)], sorted.Length);
    }
}
