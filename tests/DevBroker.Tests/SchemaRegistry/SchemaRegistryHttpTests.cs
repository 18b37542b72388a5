using System.Net;
using System.Net.Sockets;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.SchemaRegistry;

/// <summary>The registry's HTTP server: media types, unknown routes, what is served without a registry, a port in use.</summary>
public sealed class SchemaRegistryHttpTests
{
    [Fact]
    public async Task Answers_ByDefault_RegistryMediaType_ApplicationJsonWhenAskedFor()
    {
        await using var broker = await TestBroker.StartWithRegistryAsync();
        using var registry = new RegistryHttpClient(broker.SchemaRegistryUrl!);

        var byDefault = await registry.GetAsync("subjects");
        var confluentClient = await registry.GetAsync("config", accept: "application/vnd.schemaregistry.v1+json");
        var json = await registry.GetAsync("config", accept: "application/json");

        Assert.Equal("application/vnd.schemaregistry.v1+json", byDefault.ContentType);
        Assert.Equal("application/vnd.schemaregistry.v1+json", confluentClient.ContentType);
        Assert.Equal("application/json", json.ContentType);
    }

    [Fact]
    public async Task Register_BodySentAsApplicationJson_Accepted()
    {
        await using var broker = await TestBroker.StartWithRegistryAsync();
        using var registry = new RegistryHttpClient(broker.SchemaRegistryUrl!);

        var answer = await registry.PostAsync("subjects/s-value/versions", new { schema = TestSchemas.InventoryEvent }, contentType: "application/json");

        Assert.Equal((200, """{"id":1}"""), (answer.Status, answer.Text));
    }

    [Fact]
    public async Task UnknownPath_404WithConfluentBody()
    {
        await using var broker = await TestBroker.StartWithRegistryAsync();
        using var registry = new RegistryHttpClient(broker.SchemaRegistryUrl!);

        var answer = await registry.GetAsync("no/such/thing");

        Assert.Equal((404, 404), (answer.Status, answer.ErrorCode));
        Assert.Equal("{}", (await registry.GetAsync(string.Empty)).Text);
        Assert.Equal("""["AVRO"]""", (await registry.GetAsync("schemas/types")).Text);
    }

    [Fact]
    public async Task StartAsync_NoSchemaRegistryPort_ServesNoRegistry()
    {
        await using var broker = await TestBroker.StartAsync();

        Assert.Null(broker.SchemaRegistryUrl);
        Assert.Null(broker.Cluster.Find("_schemas"));
    }

    [Fact]
    public async Task StartAsync_RegistryPortInUse_FailsNamingTheSettingAndReleasesTheBroker()
    {
        using var data = new TempDirectory();
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => TestBroker.StartAsync(data.Path, o => o.SchemaRegistryPort = port));

        Assert.Contains($"127.0.0.1:{port}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("DevBroker__SchemaRegistryPort", failure.Message, StringComparison.Ordinal);

        // Nothing of the failed start is left holding the data directory or a port.
        await using var broker = await TestBroker.StartWithRegistryAsync(data.Path);
        Assert.NotNull(broker.SchemaRegistryUrl);
    }
}
