using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Kcat;

/// <summary>Debian's kcat (librdkafka) against the broker: metadata, produce, consume.</summary>
public sealed class KcatTests
{
    [Fact]
    public async Task Metadata_ListsBrokerAndTopicPartitions()
    {
        await using var broker = await TestBroker.StartAsync();
        broker.Cluster.CreateTopic("listed", 4, new Dictionary<string, string?>(), validateOnly: false);

        var (exit, output) = await RunAsync($"-b {broker.BootstrapServers} -L");

        Assert.Equal(0, exit);
        Assert.Contains($"broker 0 at {broker.BootstrapServers} (controller)", output, StringComparison.Ordinal);
        Assert.Contains("topic \"listed\" with 4 partitions", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProduceThenConsume_AllLinesBackInOrder()
    {
        await using var broker = await TestBroker.StartAsync();
        var lines = Enumerable.Range(1, 50).Select(i => $"line-{i}").ToList();

        var (produced, _) = await RunAsync($"-b {broker.BootstrapServers} -P -t lines", string.Join('\n', lines) + "\n");
        var (consumed, output) = await RunAsync($"-b {broker.BootstrapServers} -C -t lines -o beginning -e -q -f %s\\n");

        Assert.Equal(0, produced);
        Assert.Equal(0, consumed);
        Assert.Equal(lines, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task QueryOffsetByTimestamp_ReturnsOffset()
    {
        await using var broker = await TestBroker.StartAsync();
        await RunAsync($"-b {broker.BootstrapServers} -P -t stamped", "a\nb\n");

        var (exit, output) = await RunAsync($"-b {broker.BootstrapServers} -Q -t stamped:0:0");

        Assert.Equal(0, exit);
        Assert.Contains("offset 0", output, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string arguments, string? input = null) => KcatProcess.RunAsync(arguments, input);
}
