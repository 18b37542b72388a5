using InventoryOrleans.DevBroker.Tests.SchemaRegistry;
using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.TestSupport.Node;

namespace InventoryOrleans.DevBroker.Tests.Kafkajs;

/// <summary>A second, independent registry client and Avro implementation: npm's @kafkajs/confluent-schema-registry 4.1.0
/// (avsc) runs schema-registry.js against an in-process DevBroker and its registry — registers InventoryEvent, encodes
/// and decodes a record (also with the schema fetched by id), evolves it with an optional field, is refused a required
/// one with 409, and sends the framed records through the broker with kafkajs. The script's asserts decide.</summary>
public sealed class KafkajsSchemaRegistryTests
{
    [Fact]
    public async Task ConfluentSchemaRegistryNpmClient_RegisterEncodeDecodeEvolveAndProduce_AllChecksPass()
    {
        var folder = NodeScript.Folder(Path.Combine("tests", "DevBroker.Tests", "Kafkajs"), Path.Combine("@kafkajs", "confluent-schema-registry"));
        await using var broker = await TestBroker.StartWithRegistryAsync();

        var (exitCode, output) = await NodeScript.RunAsync(folder, "schema-registry.js", broker.SchemaRegistryUrl!, broker.BootstrapServers, TestSchemas.InventoryEventPath);

        Assert.True(exitCode == 0, $"node schema-registry.js exited with {exitCode}:\n{output}");
        Assert.Contains("all checks passed", output, StringComparison.Ordinal);
    }
}
