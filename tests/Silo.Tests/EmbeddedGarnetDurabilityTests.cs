using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Silo.Embedded;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using InventoryOrleans.TestSupport.Kafka;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace InventoryOrleans.Silo.Tests;

/// <summary>
/// The embedded Garnet holds every acknowledged grain write on disk. The silo executable runs under strace, which holds
/// every write to Garnet's append-only file back by a fixed delay before it reaches the kernel (a slow disk), and is
/// SIGKILLed the moment an acknowledgement arrives: the group's commit of the last input offset (grain writes
/// acknowledged before it), or the answer of the durability command. A restart on the same data must hold all of it.
/// Without the durability command the grain writes are answered before the file has them, and the kill loses them.
/// </summary>
public sealed class EmbeddedGarnetDurabilityTests(ITestOutputHelper output) : SiloTestBase(output)
{
    private const string ServiceId = "inventory-orleans";
    private const int Writes = 50;

    // Linux open(2) flags as /proc/<pid>/fdinfo prints them (octal): the access mode bits and O_DSYNC (part of O_SYNC).
    private const int AccessMode = 3;
    private const int ReadOnly = 0;
    private const int DataSync = 0x1000;

    private static readonly TimeSpan DiskDelay = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task EmbeddedGarnet_SlowDiskAndSigkillTheMomentTheGroupCommitted_EveryCommittedDecisionIsStored()
    {
        var workingDirectory = NewDirectory("garnet-committed-");
        var ports = SiloPorts.Free();
        var events = ScenarioGenerator.Generate(products: 20, events: 300, duplicateShare: 0.05, seed: 33, productPrefix: "durable");
        var silo = await StartSiloAsync("silo-slow-disk", workingDirectory, ports, wrapper: SlowDisk(workingDirectory));
        await silo.WaitUntilReadyAsync(Http, SiloTimeouts.Start);
        using var client = new KafkaTestClient(silo.Bootstrap);

        foreach (var e in events)
        {
            client.Produce(KafkaTestClient.TopicOf(e), e);
        }

        client.Flush();
        await Eventually.TrueAsync(
            () => Topics.Inputs.All(topic =>
            {
                var committed = client.Committed(SiloWaits.GroupId, topic);
                return client.Ends(topic).All(end => end.Value == 0 || committed.GetValueOrDefault(end.Key) == end.Value);
            }),
            SiloTimeouts.Drain,
            "the group committed every input message");
        await silo.Process.KillAsync();
        Log("SIGKILL the moment the group had committed every input message");

        var again = await StartSiloAsync("silo-restarted", workingDirectory, ports);
        await again.WaitUntilReadyAsync(Http, SiloTimeouts.Start);
        await using var stored = new StoredProducts(again.GarnetConnectionString, ServiceId);
        var summary = await new PipelineVerifier(client, stored).VerifyAsync();
        Log($"verified after the restart: {summary}");
        Assert.Equal(events.Count, summary.ValidMessages);

        // The restarted silo's rollback check compares what storage holds with what the group committed.
        await Eventually.TrueAsync(
            async () => await again.ReadinessAsync(Http) is { } ready
                && ready.GetProperty("checks").GetProperty("state") is var state
                && state.GetProperty("ok").GetBoolean()
                && !state.GetProperty("detail").GetString()!.Contains("checking", StringComparison.Ordinal),
            SiloTimeouts.Arrival,
            "the restarted silo's state check ran and found nothing rolled back");

        // The runbook's rebuild through the executable's endpoint: a product whose state is whole rebuilds to itself.
        var productId = events[0].ProductId;
        var before = await stored.StockAsync(productId);
        using var rebuild = await Http.PostAsync(new Uri(again.BaseAddress, $"/api/ops/products/{productId}/rebuild"), null);
        var report = await rebuild.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, rebuild.StatusCode);
        Assert.True(report.GetProperty("rebuilt").GetBoolean(), report.ToString());
        Assert.Equal(0, report.GetProperty("differences").GetArrayLength());
        Assert.Equal(before!.Version, report.GetProperty("version").GetInt64());
        Assert.Equal((before.OnHand, before.Version), ((await stored.StockAsync(productId))!.OnHand, (await stored.StockAsync(productId))!.Version));
    }

    [Fact]
    public async Task EmbeddedGarnet_SlowDiskAndSigkillAtTheDurabilityCommandsAnswer_EveryWriteBeforeItWasOnDiskAndSurvives()
    {
        var workingDirectory = NewDirectory("garnet-durable-");
        var ports = SiloPorts.Free();
        var silo = await StartSiloAsync("silo-slow-disk", workingDirectory, ports, wrapper: SlowDisk(workingDirectory));
        await silo.WaitUntilReadyAsync(Http, SiloTimeouts.Start);

        TimeSpan durableAfter;
        IReadOnlyList<(string File, int Flags)> openForWriting;
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(silo.GarnetConnectionString))
        {
            var db = redis.GetDatabase();
            await Task.WhenAll(Enumerable.Range(0, Writes).Select(i => db.StringSetAsync($"durable-{i}", i)));
            var clock = Stopwatch.StartNew();
            await db.ExecuteAsync(EmbeddedGarnet.DurabilityCommand);
            durableAfter = clock.Elapsed;
            openForWriting = FilesOpenForWriting(silo.Process.Id, Aof(workingDirectory));
            await silo.Process.KillAsync();
        }

        Log($"{Writes} writes, then {EmbeddedGarnet.DurabilityCommand} answered after {durableAfter.TotalMilliseconds:0} ms (disk delay {DiskDelay.TotalMilliseconds:0} ms), then SIGKILL; AOF files open for writing: {string.Join(", ", openForWriting.Select(f => $"{Path.GetFileName(f.File)} flags {Convert.ToString(f.Flags, 8)}"))}");

        var again = await StartSiloAsync("silo-restarted", workingDirectory, ports);
        await again.WaitUntilReadyAsync(Http, SiloTimeouts.Start);
        await using var restarted = await ConnectionMultiplexer.ConnectAsync(again.GarnetConnectionString);
        var values = await restarted.GetDatabase().StringGetAsync([.. Enumerable.Range(0, Writes).Select(i => (RedisKey)$"durable-{i}")]);
        Assert.Equal(Enumerable.Range(0, Writes).Select(i => (string?)i.ToString(CultureInfo.InvariantCulture)), values.Select(v => (string?)v));

        // The command's answer waited for the (slowed) write of the append-only file …
        Assert.True(durableAfter >= DiskDelay, $"{EmbeddedGarnet.DurabilityCommand} answered after {durableAfter.TotalMilliseconds:0} ms, before the append-only file's write could have completed");

        // … which returns only once the disk has it (O_SYNC), not while it is in the page cache or the disk's cache.
        Assert.Contains(openForWriting, f => Path.GetFileName(f.File) == "aof.log.0");
        Assert.All(openForWriting, f => Assert.True((f.Flags & DataSync) != 0, $"{f.File} is open for writing without O_DSYNC (flags {Convert.ToString(f.Flags, 8)})"));
    }

    private static string Aof(string workingDirectory) => Path.Combine(workingDirectory, "data", "redis", "AOF");

    // strace as a slow disk: every write to Garnet's append-only file waits before it enters the kernel.
    private static string[] SlowDisk(string workingDirectory) =>
    [
        "strace", "-f", "-qq", "-D", "-o", "/dev/null", "-P", Path.Combine(Aof(workingDirectory), "aof.log.0"),
        "-e", "trace=pwrite64", "-e", $"inject=pwrite64:delay_enter={(long)DiskDelay.TotalMicroseconds}",
    ];

    // The append-only-file files the process holds open with write access, with their open flags.
    private static List<(string File, int Flags)> FilesOpenForWriting(int pid, string directory)
    {
        var found = new List<(string File, int Flags)>();
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue;
            }

            if (target is null || !target.StartsWith(directory + "/", StringComparison.Ordinal))
            {
                continue;
            }

            var flagsLine = File.ReadLines($"/proc/{pid}/fdinfo/{Path.GetFileName(fd)}").First(l => l.StartsWith("flags:", StringComparison.Ordinal));
            var flags = Convert.ToInt32(flagsLine["flags:".Length..].Trim(), 8);
            if ((flags & AccessMode) != ReadOnly)
            {
                found.Add((target, flags));
            }
        }

        return found;
    }
}
