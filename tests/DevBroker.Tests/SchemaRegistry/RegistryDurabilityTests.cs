using InventoryOrleans.DevBroker.Tests.Support;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.DevBroker.Tests.SchemaRegistry;

/// <summary>The registry keeps its schemas in the broker's compacted <c>_schemas</c> topic: a restarted broker — stopped
/// or killed — serves the same subjects, ids, levels and deletions, and goes on numbering ids after them.</summary>
public sealed class RegistryDurabilityTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Restart_SameDataDir_SubjectsIdsLevelsAndSoftDeletesSurvive()
    {
        int v1, v2, kept;
        await using (var broker = await TestBroker.StartWithRegistryAsync(_data.Path))
        {
            using var registry = new RegistryHttpClient(broker.SchemaRegistryUrl!);
            v1 = await registry.RegisterOkAsync("events-value", TestSchemas.InventoryEvent);
            v2 = await registry.RegisterOkAsync("events-value", TestSchemas.InventoryEventWith("""{"name":"note","type":["null","string"],"default":null}"""));
            kept = await registry.RegisterOkAsync("gone-value", TestSchemas.Record("""{"name":"a","type":"int"}"""));
            await registry.SetLevelAsync(null, "FULL");
            await registry.SetLevelAsync("events-value", "BACKWARD_TRANSITIVE");
            await registry.DeleteAsync("subjects/gone-value");
        }

        await using var restarted = await TestBroker.StartWithRegistryAsync(_data.Path);
        using var again = new RegistryHttpClient(restarted.SchemaRegistryUrl!);

        Assert.Equal("""["events-value"]""", (await again.GetAsync("subjects")).Text);
        Assert.Equal("""["events-value","gone-value"]""", (await again.GetAsync("subjects?deleted=true")).Text);
        Assert.Equal("[1,2]", (await again.GetAsync("subjects/events-value/versions")).Text);
        Assert.Equal(v2, (await again.GetAsync("subjects/events-value/versions/latest")).Json!["id"]!.GetValue<int>());
        Assert.Equal(200, (await again.GetAsync($"schemas/ids/{v1}")).Status);
        Assert.Equal(200, (await again.GetAsync($"schemas/ids/{kept}")).Status);
        Assert.Equal("""{"compatibilityLevel":"FULL"}""", (await again.GetAsync("config")).Text);
        Assert.Equal("""{"compatibilityLevel":"BACKWARD_TRANSITIVE"}""", (await again.GetAsync("config/events-value")).Text);
        Assert.Equal(v1, await again.RegisterOkAsync("events-value", TestSchemas.InventoryEvent)); // still version 1's
        var next = await again.RegisterOkAsync("new-value", TestSchemas.Record("""{"name":"n","type":"long"}"""));
        Assert.True(next > Math.Max(v2, kept), $"a new schema after the restart gets a new id, not {next}");
    }

    [Fact]
    public async Task Restart_AfterCompaction_PermanentlyDeletedStayGone()
    {
        await using (var broker = await TestBroker.StartWithRegistryAsync(_data.Path, o => o.SegmentBytes = 1024))
        {
            using var registry = new RegistryHttpClient(broker.SchemaRegistryUrl!);
            await registry.RegisterOkAsync("gone-value", TestSchemas.InventoryEvent);
            await registry.DeleteAsync("subjects/gone-value");
            await registry.DeleteAsync("subjects/gone-value?permanent=true");
            for (var i = 0; i < 5; i++)
            {
                await registry.RegisterOkAsync("kept-value", TestSchemas.InventoryEventWith($$"""{"name":"f{{i}}","type":["null","string"],"default":null}"""));
            }

            broker.Cluster.Compact();
        }

        await using var restarted = await TestBroker.StartWithRegistryAsync(_data.Path);
        using var again = new RegistryHttpClient(restarted.SchemaRegistryUrl!);

        Assert.Equal("""["kept-value"]""", (await again.GetAsync("subjects?deleted=true")).Text);
        Assert.Equal("[1,2,3,4,5]", (await again.GetAsync("subjects/kept-value/versions")).Text);
    }

    [Fact]
    public async Task KillMinus9_OfTheExecutable_RegisteredSchemasServedAfterRestart()
    {
        var port = FreePort.Next();
        var registryPort = FreePort.Next();
        int id;
        await using (var broker = await DevBrokerProcess.StartAsync(port, _data.Path, registryPort))
        {
            using var registry = new RegistryHttpClient($"http://127.0.0.1:{registryPort}");
            id = await registry.RegisterOkAsync("events-value", TestSchemas.InventoryEvent);
            await registry.SetLevelAsync("events-value", "FULL");
            await broker.KillAsync();
        }

        await using var restarted = await DevBrokerProcess.StartAsync(port, _data.Path, registryPort);
        using var again = new RegistryHttpClient($"http://127.0.0.1:{registryPort}");

        var latest = await again.GetAsync("subjects/events-value/versions/latest");
        Assert.Equal((200, id), (latest.Status, latest.Json!["id"]!.GetValue<int>()));
        Assert.Equal("""{"compatibilityLevel":"FULL"}""", (await again.GetAsync("config/events-value")).Text);
    }

    public void Dispose() => _data.Dispose();
}
