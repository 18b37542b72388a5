using InventoryOrleans.DevBroker.Storage;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Compaction;

/// <summary>A broker killed while swapping a cleaned segment in: the data directory holds the decided swap
/// (<c>&lt;base&gt;-&lt;end&gt;.swap</c>, the first replaced segment already removed) and an unfinished <c>.cleaned</c> file.
/// Made by hand from what a real cleaning of a copy of the same log wrote.</summary>
public sealed class InterruptedSwapTests : IDisposable
{
    private const string Topic = "stock";
    private readonly TempDirectory _killed = new();
    private readonly TempDirectory _cleanedCopy = new();
    private readonly ShiftableClock _clock = new();

    [Fact]
    public async Task StartAsync_AfterAKillMidSwap_FinishesTheSwapDropsTheUnfinishedFileAndServesTheSameRecords()
    {
        List<(long Offset, string Key, string? Value)> produced;
        await using (var broker = await StartAsync(_killed.Path))
        {
            produced = await CompactedTopicClient.ProduceUpdatesAsync(broker.BootstrapServers, Topic, TimeSpan.FromHours(1));
        }

        CopyDirectory(_killed.Path, _cleanedCopy.Path);
        List<(long Offset, string Key, string? Value)> cleanedRead;
        await using (var broker = await StartAsync(_cleanedCopy.Path))
        {
            broker.Cluster.Compact();
            broker.Cluster.Compact();
            cleanedRead = CompactedTopicClient.Read(broker.BootstrapServers, Topic);
        }

        var cleanedSegments = SegmentBases(_cleanedCopy.Path);
        var (first, end) = (cleanedSegments[0], cleanedSegments[1]);
        var partition = Path.Combine(_killed.Path, $"{Topic}-0");
        File.Copy(Path.Combine(_cleanedCopy.Path, $"{Topic}-0", LogSegment.FileName(first)), Path.Combine(partition, $"{first:D20}-{end:D20}.swap"));
        File.Delete(Path.Combine(partition, LogSegment.FileName(first)));
        File.WriteAllBytes(Path.Combine(partition, $"{end:D20}.cleaned"), [1, 2, 3]);
        Assert.True(SegmentBases(_killed.Path).Count(b => b > first && b < end) > 0, "the swap replaces more than the segment it removed");

        await using var restarted = await StartAsync(_killed.Path);

        Assert.Empty(Directory.GetFiles(partition, "*.swap"));
        Assert.Empty(Directory.GetFiles(partition, "*.cleaned"));
        var expected = cleanedRead.Where(r => r.Offset < end).Concat(produced.Where(r => r.Offset >= end));
        Assert.Equal(expected, CompactedTopicClient.Read(restarted.BootstrapServers, Topic));

        restarted.Cluster.Compact();
        Assert.Equal(cleanedRead, CompactedTopicClient.Read(restarted.BootstrapServers, Topic));
    }

    public void Dispose()
    {
        _killed.Dispose();
        _cleanedCopy.Dispose();
    }

    private static List<long> SegmentBases(string dataDir) =>
        [.. Directory.GetFiles(Path.Combine(dataDir, $"{Topic}-0"), "*.log").Select(f => long.Parse(Path.GetFileNameWithoutExtension(f), System.Globalization.CultureInfo.InvariantCulture)).Order()];

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }

    private Task<DevBrokerServer> StartAsync(string dataDir) =>
        TestBroker.StartAsync(dataDir, o => o.LogCleanerInterval = TimeSpan.FromHours(1), _clock);
}
