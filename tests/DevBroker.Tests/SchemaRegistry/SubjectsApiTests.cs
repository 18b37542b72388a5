using System.Text.Json.Nodes;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.SchemaRegistry;

/// <summary>/subjects over real HTTP: register, list, versions, lookup, delete — and Confluent's error bodies.</summary>
public sealed class SubjectsApiTests : IAsyncLifetime
{
    private DevBrokerServer _broker = null!;
    private RegistryHttpClient _registry = null!;

    public async Task InitializeAsync()
    {
        _broker = await TestBroker.StartWithRegistryAsync();
        _registry = new RegistryHttpClient(_broker.SchemaRegistryUrl!);
    }

    public async Task DisposeAsync()
    {
        _registry.Dispose();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Register_SameSchemaAgainWithOtherWhitespace_SameIdAndOneVersion()
    {
        var first = await _registry.RegisterOkAsync("events-value", TestSchemas.InventoryEvent);
        var compact = JsonNode.Parse(TestSchemas.InventoryEvent)!.ToJsonString();

        var again = await _registry.RegisterOkAsync("events-value", compact);

        Assert.Equal(first, again);
        Assert.Equal("[1]", (await _registry.GetAsync("subjects/events-value/versions")).Text);
    }

    [Fact]
    public async Task Register_IdsAreGlobal_SameSchemaUnderAnotherSubjectKeepsItsIdAndNewSchemasGetHigherOnes()
    {
        var events = await _registry.RegisterOkAsync("a-value", TestSchemas.InventoryEvent);
        var sameElsewhere = await _registry.RegisterOkAsync("b-value", TestSchemas.InventoryEvent);
        var other = await _registry.RegisterOkAsync("b-value", TestSchemas.InventoryEventWith("""{"name":"note","type":["null","string"],"default":null}"""));
        var third = await _registry.RegisterOkAsync("c-value", TestSchemas.Record("""{"name":"x","type":"int"}"""));

        Assert.Equal(events, sameElsewhere);
        Assert.True(events < other && other < third, $"ids {events}, {other}, {third} must grow");
        var versions = await _registry.GetAsync($"schemas/ids/{events}/versions");
        Assert.Equal("""[{"subject":"a-value","version":1},{"subject":"b-value","version":1}]""", versions.Text);
    }

    [Theory]
    [InlineData("""{"schema":"{\"type\":\"record\",\"name\":\"R\"}"}""", "Invalid schema of type AVRO")]
    [InlineData("""{"schema":"not json"}""", "Invalid schema of type AVRO")]
    [InlineData("""{"schema":"{\"type\":\"nope\"}"}""", "names no Avro type")]
    [InlineData("""{"schema":"{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"default\":\"x\"}]}"}""", "Invalid default for field a")]
    [InlineData("""{"schema":"{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"A\"]}"}""", "Duplicate symbol")]
    [InlineData("""{"schemaType":"PROTOBUF","schema":"syntax = \"proto3\";"}""", "Invalid schema type PROTOBUF")]
    [InlineData("""{"schema":"\"string\"","references":[{"name":"x","subject":"y","version":1}]}""", "references are not served")]
    [InlineData("""{}""", "no \"schema\"")]
    public async Task Register_InvalidSchemaOrType_422With42201(string body, string message)
    {
        var answer = await _registry.PostAsync("subjects/s-value/versions", JsonNode.Parse(body)!);

        Assert.Equal(422, answer.Status);
        Assert.Equal(42201, answer.ErrorCode);
        Assert.Contains(message, answer.Message, StringComparison.Ordinal);
        Assert.Equal(404, (await _registry.GetAsync("subjects/s-value/versions")).Status);
    }

    [Fact]
    public async Task Register_SchemaTypeAvroAndPrimitiveSchema_Accepted()
    {
        var answer = await _registry.PostAsync("subjects/key-key/versions", new { schemaType = "AVRO", schema = "\"string\"" });

        Assert.Equal(200, answer.Status);
        Assert.Equal("""{"type":"string"}""", (await _registry.GetAsync("subjects/key-key/versions/1/schema")).Text);
    }

    [Fact]
    public async Task Register_BodyNotJson_400WithErrorBody()
    {
        var answer = await _registry.PostTextAsync("subjects/s-value/versions", "{\"schema\":", "application/json");

        Assert.Equal(400, answer.Status);
        Assert.Equal(400, answer.ErrorCode);
    }

    [Fact]
    public async Task GetSubjectsAndVersions_AfterTwoVersions_ListsThemAndServesEach()
    {
        var v1 = await _registry.RegisterOkAsync("events-value", TestSchemas.InventoryEvent);
        var v2 = await _registry.RegisterOkAsync("events-value", TestSchemas.InventoryEventWith("""{"name":"note","type":["null","string"],"default":null}"""));

        Assert.Equal("""["events-value"]""", (await _registry.GetAsync("subjects")).Text);
        Assert.Equal("[1,2]", (await _registry.GetAsync("subjects/events-value/versions")).Text);
        var first = (await _registry.GetAsync("subjects/events-value/versions/1")).Json!;
        Assert.Equal(("events-value", 1, v1), (first["subject"]!.GetValue<string>(), first["version"]!.GetValue<int>(), first["id"]!.GetValue<int>()));
        var latest = (await _registry.GetAsync("subjects/events-value/versions/latest")).Json!;
        Assert.Equal((2, v2), (latest["version"]!.GetValue<int>(), latest["id"]!.GetValue<int>()));
        Assert.Contains("\"note\"", latest["schema"]!.GetValue<string>(), StringComparison.Ordinal);
        var raw = await _registry.GetAsync("subjects/events-value/versions/2/schema");
        Assert.Equal(latest["schema"]!.GetValue<string>(), raw.Text);
        Assert.Equal(latest["schema"]!.GetValue<string>(), (await _registry.GetAsync($"schemas/ids/{v2}")).Json!["schema"]!.GetValue<string>());
        Assert.Equal(raw.Text, (await _registry.GetAsync($"schemas/ids/{v2}/schema")).Text);
    }

    [Fact]
    public async Task GetVersion_UnknownSubjectVersionOrBadVersion_ConfluentErrors()
    {
        await _registry.RegisterOkAsync("events-value", TestSchemas.InventoryEvent);

        var noSubject = await _registry.GetAsync("subjects/nope/versions/1");
        var noVersion = await _registry.GetAsync("subjects/events-value/versions/7");
        var badVersion = await _registry.GetAsync("subjects/events-value/versions/0");
        var noVersions = await _registry.GetAsync("subjects/nope/versions");

        Assert.Equal((404, """{"error_code":40401,"message":"Subject 'nope' not found."}"""), (noSubject.Status, noSubject.Text));
        Assert.Equal((404, """{"error_code":40402,"message":"Version 7 not found."}"""), (noVersion.Status, noVersion.Text));
        Assert.Equal((422, 42202), (badVersion.Status, badVersion.ErrorCode));
        Assert.Equal("The specified version '0' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"", badVersion.Message);
        Assert.Equal((404, 40401), (noVersions.Status, noVersions.ErrorCode));
    }

    [Fact]
    public async Task Lookup_RegisteredSchemaInOtherFormatting_ReturnsSubjectVersionIdAndSchema()
    {
        var id = await _registry.RegisterOkAsync("events-value", TestSchemas.InventoryEvent);

        var found = await _registry.PostAsync("subjects/events-value", new { schema = JsonNode.Parse(TestSchemas.InventoryEvent)!.ToJsonString() });

        Assert.Equal(200, found.Status);
        Assert.Equal(("events-value", 1, id), (found.Json!["subject"]!.GetValue<string>(), found.Json["version"]!.GetValue<int>(), found.Json["id"]!.GetValue<int>()));
        Assert.Contains("InventoryEvent", found.Json["schema"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_UnknownSubjectOrSchema_40401Or40403()
    {
        await _registry.RegisterOkAsync("events-value", TestSchemas.InventoryEvent);

        var noSubject = await _registry.PostAsync("subjects/nope", new { schema = TestSchemas.InventoryEvent });
        var noSchema = await _registry.PostAsync("subjects/events-value", new { schema = TestSchemas.Record("""{"name":"x","type":"int"}""") });

        Assert.Equal((404, 40401), (noSubject.Status, noSubject.ErrorCode));
        Assert.Equal((404, """{"error_code":40403,"message":"Schema not found"}"""), (noSchema.Status, noSchema.Text));
    }

    [Fact]
    public async Task DeleteSubject_SoftThenPermanent_HidesThenRemovesWithConfluentErrorsOnTheWay()
    {
        var id = await _registry.RegisterOkAsync("events-value", TestSchemas.InventoryEvent);
        await _registry.RegisterOkAsync("events-value", TestSchemas.InventoryEventWith("""{"name":"note","type":["null","string"],"default":null}"""));

        var permanentFirst = await _registry.DeleteAsync("subjects/events-value?permanent=true");
        var soft = await _registry.DeleteAsync("subjects/events-value");
        var softAgain = await _registry.DeleteAsync("subjects/events-value");

        Assert.Equal((404, 40405), (permanentFirst.Status, permanentFirst.ErrorCode));
        Assert.Equal((200, "[1,2]"), (soft.Status, soft.Text));
        Assert.Equal((404, 40404), (softAgain.Status, softAgain.ErrorCode));
        Assert.Equal("Subject 'events-value' was soft deleted.Set permanent=true to delete permanently", softAgain.Message);
        Assert.Equal("[]", (await _registry.GetAsync("subjects")).Text);
        Assert.Equal("""["events-value"]""", (await _registry.GetAsync("subjects?deleted=true")).Text);
        Assert.Equal(404, (await _registry.GetAsync("subjects/events-value/versions/1")).Status);
        Assert.Equal(200, (await _registry.GetAsync("subjects/events-value/versions/1?deleted=true")).Status);
        Assert.Equal(200, (await _registry.GetAsync($"schemas/ids/{id}")).Status); // data written with it stays readable

        var permanent = await _registry.DeleteAsync("subjects/events-value?permanent=true");

        Assert.Equal((200, "[1,2]"), (permanent.Status, permanent.Text));
        Assert.Equal("[]", (await _registry.GetAsync("subjects?deleted=true")).Text);
        Assert.Equal((404, 40403), ((await _registry.GetAsync($"schemas/ids/{id}")).Status, (await _registry.GetAsync($"schemas/ids/{id}")).ErrorCode));
        Assert.Equal(40401, (await _registry.DeleteAsync("subjects/events-value")).ErrorCode);
    }

    [Fact]
    public async Task Register_AfterSoftDelete_NextVersionNumberAndTheSchemasId()
    {
        var id = await _registry.RegisterOkAsync("events-value", TestSchemas.InventoryEvent);
        await _registry.DeleteAsync("subjects/events-value");

        var again = await _registry.RegisterOkAsync("events-value", TestSchemas.InventoryEvent);

        Assert.Equal(id, again);
        Assert.Equal("[2]", (await _registry.GetAsync("subjects/events-value/versions")).Text);
    }
}
