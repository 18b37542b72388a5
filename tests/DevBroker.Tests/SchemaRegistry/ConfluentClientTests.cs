using System.Net;
using Confluent.SchemaRegistry;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.SchemaRegistry;

/// <summary>Confluent.SchemaRegistry 2.16.0's CachedSchemaRegistryClient — what AvroSerializer / AvroDeserializer use —
/// against the DevBroker's registry: register, get by id, look up, test compatibility, levels, subjects.</summary>
public sealed class ConfluentClientTests : IAsyncLifetime
{
    private const string OptionalNote = """{"name":"note","type":["null","string"],"default":null}""";

    private DevBrokerServer _broker = null!;
    private CachedSchemaRegistryClient _client = null!;

    public async Task InitializeAsync()
    {
        _broker = await TestBroker.StartWithRegistryAsync();
        _client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = _broker.SchemaRegistryUrl, MaxRetries = 1 });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task RegisterGetByIdAndLookup_RoundTrip()
    {
        var schema = new Schema(TestSchemas.InventoryEvent, SchemaType.Avro);

        var id = await _client.RegisterSchemaAsync("inventory.events-value", schema);
        var byId = await _client.GetSchemaAsync(id);
        var found = await _client.LookupSchemaAsync("inventory.events-value", schema, ignoreDeletedSchemas: true);
        var latest = await _client.GetLatestSchemaAsync("inventory.events-value");

        Assert.Equal(SchemaType.Avro, byId.SchemaType);
        Assert.Equal(Avro.Schema.Parse(TestSchemas.InventoryEvent).ToString(), byId.SchemaString);
        Assert.Equal(("inventory.events-value", 1, id), (found.Subject, found.Version, found.Id));
        Assert.Equal((1, id), (latest.Version, latest.Id));
        Assert.Equal(["inventory.events-value"], await _client.GetAllSubjectsAsync());
        Assert.Equal([1], await _client.GetSubjectVersionsAsync("inventory.events-value"));
    }

    [Fact]
    public async Task RegisterSameSchemaFromAnotherClient_SameId()
    {
        using var other = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = _broker.SchemaRegistryUrl });
        var first = await _client.RegisterSchemaAsync("inventory.events-value", TestSchemas.InventoryEvent);

        var second = await other.RegisterSchemaAsync("inventory.events-value", System.Text.Json.Nodes.JsonNode.Parse(TestSchemas.InventoryEvent)!.ToJsonString());

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task IsCompatible_OptionalFieldYes_RequiredFieldNo_AndRegisteringIt409()
    {
        await _client.RegisterSchemaAsync("inventory.events-value", TestSchemas.InventoryEvent);
        var optional = new Schema(TestSchemas.InventoryEventWith(OptionalNote), SchemaType.Avro);
        var required = new Schema(TestSchemas.InventoryEventWith("""{"name":"warehouse","type":"string"}"""), SchemaType.Avro);

        Assert.True(await _client.IsCompatibleAsync("inventory.events-value", optional));
        Assert.False(await _client.IsCompatibleAsync("inventory.events-value", required));
        var refused = await Assert.ThrowsAsync<SchemaRegistryException>(() => _client.RegisterSchemaAsync("inventory.events-value", required));
        Assert.Equal((HttpStatusCode.Conflict, 409), (refused.Status, refused.ErrorCode));
        Assert.True(await _client.RegisterSchemaAsync("inventory.events-value", optional) > 0);
    }

    [Fact]
    public async Task Compatibility_UpdatedAndRead_GlobalAndPerSubject()
    {
        await _client.RegisterSchemaAsync("inventory.events-value", TestSchemas.InventoryEvent);

        Assert.Equal(Compatibility.Full, await _client.UpdateCompatibilityAsync(Compatibility.Full, "inventory.events-value"));
        Assert.Equal(Compatibility.ForwardTransitive, await _client.UpdateCompatibilityAsync(Compatibility.ForwardTransitive));
        Assert.Equal(Compatibility.Full, await _client.GetCompatibilityAsync("inventory.events-value"));
        Assert.Equal(Compatibility.ForwardTransitive, await _client.GetCompatibilityAsync());
    }

    [Fact]
    public async Task GetSchema_UnknownId_SchemaRegistryException40403()
    {
        var missing = await Assert.ThrowsAsync<SchemaRegistryException>(() => _client.GetSchemaAsync(4242));

        Assert.Equal((HttpStatusCode.NotFound, 40403), (missing.Status, missing.ErrorCode));
    }
}
