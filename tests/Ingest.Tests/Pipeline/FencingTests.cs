using System.Text.Json;
using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Tests.Support;
using InventoryOrleans.Runtime;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InventoryOrleans.Ingest.Tests.Pipeline;

/// <summary>ETag fencing as the pipeline sees it: a write over another writer's state fails, the batch is re-read and applied on top.</summary>
public sealed class FencingTests : EmbeddedSiloTest
{
    [Fact]
    public async Task Pipeline_AnotherWriterChangedTheProduct_BatchIsFencedReReadAndAppliedOnTop()
    {
        await using var silo = await StartSiloAsync();
        Client.Produce(Topics.Events, new InventoryEvent("f-1", InventoryEventType.Receipt, "p-f", 10, ScenarioGenerator.Epoch));
        Client.Flush();
        await Eventually.TrueAsync(() => Client.Count(Topics.Outcomes) == 1, TimeSpan.FromSeconds(60), "the first receipt is applied");

        // A second writer (another runtime on the same storage, like a silo that took the partition over) moves the
        // stored ETag on while the first silo still holds its activation.
        using (var other = BuildRuntimeOnly())
        {
            await other.StartAsync();
            var stock = await other.Services.GetRequiredService<IGrainFactory>().GetGrain<IProductGrain>("p-f")
                .ApplyAsync(new InventoryEvent("f-other", InventoryEventType.Receipt, "p-f", 5, ScenarioGenerator.Epoch.AddSeconds(1)));
            Assert.Equal(2, stock.Stock.Version);
            await other.StopAsync();
        }

        Client.Produce(Topics.Events, new InventoryEvent("f-2", InventoryEventType.Sale, "p-f", 3, ScenarioGenerator.Epoch.AddSeconds(2)));
        Client.Flush();

        await Eventually.TrueAsync(
            () => Client.ReadAll(Topics.Outcomes).Any(r => Field(r.Message.Value, "eventId") == "f-2"),
            TimeSpan.FromSeconds(60),
            "the sale is applied after the fenced attempt");
        var outcome = Client.ReadAll(Topics.Outcomes).Single(r => Field(r.Message.Value, "eventId") == "f-2");
        Assert.Equal("Applied", Field(outcome.Message.Value, "status"));
        Assert.Equal("3", Field(outcome.Message.Value, "version"));
        var last = Client.ReadAll(Topics.NetStock).Select(r => JsonDocument.Parse(r.Message.Value).RootElement).MaxBy(r => r.GetProperty("version").GetInt64());
        Assert.Equal(12, last.GetProperty("onHand").GetInt64());
    }

    private IHost BuildRuntimeOnly()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddGrainRuntime();
        builder.Services.AddInventoryGrains();
        builder.Services.AddSqliteGrainStorage(SqlitePath);
        return builder.Build();
    }

    private static string? Field(byte[] json, string name)
    {
        var value = JsonDocument.Parse(json).RootElement.GetProperty(name);
        return value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.GetString();
    }
}
