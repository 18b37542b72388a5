using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.SchemaRegistry;

/// <summary>Registrations under each compatibility level, over real HTTP: what passes, and the 409 for what does not.</summary>
public sealed class CompatibilityLevelTests : IAsyncLifetime
{
    private const string OptionalNote = """{"name":"note","type":["null","string"],"default":null}""";
    private const string RequiredWarehouse = """{"name":"warehouse","type":"string"}""";

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
    public async Task Backward_InventoryEventV2WithOptionalFieldDefaultNull_AcceptedAsVersion2()
    {
        var v1 = await _registry.RegisterOkAsync("events-value", TestSchemas.InventoryEvent);

        var v2 = await _registry.RegisterAsync("events-value", TestSchemas.InventoryEventWith(OptionalNote));

        Assert.Equal(200, v2.Status);
        Assert.NotEqual(v1, v2.Json!["id"]!.GetValue<int>());
        Assert.Equal("[1,2]", (await _registry.GetAsync("subjects/events-value/versions")).Text);
    }

    [Fact]
    public async Task Backward_InventoryEventV2WithRequiredFieldWithoutDefault_409AndNotRegistered()
    {
        await _registry.RegisterOkAsync("events-value", TestSchemas.InventoryEvent);

        var refused = await _registry.RegisterAsync("events-value", TestSchemas.InventoryEventWith(RequiredWarehouse));

        Assert.Equal((409, 409), (refused.Status, refused.ErrorCode));
        Assert.StartsWith("Schema being registered is incompatible with an earlier schema for subject \"events-value\", details: [", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'warehouse'", refused.Message, StringComparison.Ordinal);
        Assert.Equal("[1]", (await _registry.GetAsync("subjects/events-value/versions")).Text);
    }

    [Fact]
    public async Task Forward_AddingRequiredFieldPasses_RemovingRequiredFieldRefused()
    {
        await _registry.SetLevelAsync("s", "FORWARD");
        await _registry.RegisterOkAsync("s", TestSchemas.Record("""{"name":"a","type":"int"},{"name":"b","type":"string"}"""));

        var added = await _registry.RegisterAsync("s", TestSchemas.Record("""{"name":"a","type":"int"},{"name":"b","type":"string"},{"name":"c","type":"long"}"""));
        var removed = await _registry.RegisterAsync("s", TestSchemas.Record("""{"name":"a","type":"int"},{"name":"c","type":"long"}"""));

        Assert.Equal(200, added.Status); // old readers skip c
        Assert.Equal(409, removed.Status); // old readers need b, which has no default
    }

    [Fact]
    public async Task Full_OptionalFieldAddedPasses_RequiredFieldAddedOrRemovedRefused()
    {
        await _registry.SetLevelAsync("s", "FULL");
        await _registry.RegisterOkAsync("s", TestSchemas.Record("""{"name":"a","type":"int"}"""));

        var optional = await _registry.RegisterAsync("s", TestSchemas.Record("""{"name":"a","type":"int"},{"name":"b","type":["null","string"],"default":null}"""));
        var required = await _registry.RegisterAsync("s", TestSchemas.Record("""{"name":"a","type":"int"},{"name":"b","type":["null","string"],"default":null},{"name":"c","type":"int"}"""));
        var removed = await _registry.RegisterAsync("s", TestSchemas.Record("""{"name":"b","type":["null","string"],"default":null}"""));

        Assert.Equal(200, optional.Status);
        Assert.Equal(409, required.Status); // new readers of old data: c has no default
        Assert.Equal(409, removed.Status); // old readers of new data: a has no default
    }

    [Fact]
    public async Task None_AnyChange_Registered()
    {
        await _registry.SetLevelAsync(null, "NONE");
        await _registry.RegisterOkAsync("s", TestSchemas.Record("""{"name":"a","type":"int"}"""));

        var changed = await _registry.RegisterAsync("s", TestSchemas.Record("""{"name":"a","type":"string"},{"name":"z","type":"bytes"}"""));

        Assert.Equal(200, changed.Status);
    }

    /// <summary>Three versions where the third is compatible with the second but not with the first: the plain level
    /// (against the latest) registers it, the transitive one (against all) refuses it.</summary>
    [Theory]
    [InlineData("BACKWARD", 200)]
    [InlineData("BACKWARD_TRANSITIVE", 409)]
    [InlineData("FORWARD", 200)]
    [InlineData("FORWARD_TRANSITIVE", 409)]
    [InlineData("FULL", 200)]
    [InlineData("FULL_TRANSITIVE", 409)]
    public async Task Transitive_ThirdVersionIncompatibleWithFirstOnly_RefusedOnlyByTransitiveLevel(string level, int expected)
    {
        var (v1, v2, v3) = level.Split('_')[0] switch
        {
            // v3 makes g required: fine for v2's data (has g), not for v1's (lacks it).
            "BACKWARD" => ("""{"name":"f","type":"string"}""",
                """{"name":"f","type":"string"},{"name":"g","type":"int","default":0}""",
                """{"name":"f","type":"string"},{"name":"g","type":"int"}"""),

            // v3 drops f: v2 fills it from its default, v1 cannot.
            "FORWARD" => ("""{"name":"f","type":"string"}""",
                """{"name":"f","type":"string","default":"x"},{"name":"g","type":"int"}""",
                """{"name":"g","type":"int"}"""),

            // v3 drops a: v2 reads it with a default, v1 has none.
            _ => ("""{"name":"a","type":"int"}""", """{"name":"a","type":"int","default":1}""", "{\"name\":\"b\",\"type\":[\"null\",\"int\"],\"default\":null}"),
        };
        await _registry.SetLevelAsync("s", level);
        await _registry.RegisterOkAsync("s", TestSchemas.Record(v1));
        await _registry.RegisterOkAsync("s", TestSchemas.Record(v2));

        var third = await _registry.RegisterAsync("s", TestSchemas.Record(v3));

        Assert.True(third.Status == expected, $"{level}: {third}");
    }

    [Fact]
    public async Task SubjectLevel_OverridesGlobal()
    {
        await _registry.SetLevelAsync(null, "NONE");
        await _registry.SetLevelAsync("strict", "BACKWARD");
        await _registry.RegisterOkAsync("strict", TestSchemas.InventoryEvent);
        await _registry.RegisterOkAsync("loose", TestSchemas.InventoryEvent);

        Assert.Equal(409, (await _registry.RegisterAsync("strict", TestSchemas.InventoryEventWith(RequiredWarehouse))).Status);
        Assert.Equal(200, (await _registry.RegisterAsync("loose", TestSchemas.InventoryEventWith(RequiredWarehouse))).Status);
    }

    [Fact]
    public async Task Backward_SoftDeletedVersionsAreNotCheckedAgainst()
    {
        await _registry.RegisterOkAsync("s", TestSchemas.Record("""{"name":"a","type":"int"}"""));
        await _registry.DeleteAsync("subjects/s");

        var unrelated = await _registry.RegisterAsync("s", TestSchemas.Record("""{"name":"b","type":"string"}"""));

        Assert.Equal(200, unrelated.Status);
    }
}
