using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.TestSupport.Node;

namespace InventoryOrleans.DevBroker.Tests.Kafkajs;

/// <summary>A second, independent client: kafkajs 2.2.4 (npm) runs transactions.js in this folder against an in-process
/// DevBroker — committed and aborted transactions with offsets, fencing by a second producer, a read_committed consumer
/// held at the last stable offset. The script's own asserts decide; it exits non-zero on any failure. Needs node and
/// this folder's node_modules (<c>npm ci</c>, which test.sh runs); without them the test fails and says so.</summary>
public sealed class KafkajsTransactionTests
{
    [Fact]
    public async Task Kafkajs_TransactionsOffsetsFencingAndReadCommitted_AllChecksPass()
    {
        var folder = NodeScript.Folder(Path.Combine("tests", "DevBroker.Tests", "Kafkajs"), "kafkajs");
        await using var broker = await TestBroker.StartAsync();

        var (exitCode, output) = await NodeScript.RunAsync(folder, "transactions.js", broker.BootstrapServers);

        Assert.True(exitCode == 0, $"node transactions.js exited with {exitCode}:\n{output}");
        Assert.Contains("all checks passed", output, StringComparison.Ordinal);
    }
}
