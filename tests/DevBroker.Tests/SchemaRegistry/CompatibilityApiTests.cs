using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.SchemaRegistry;

/// <summary>POST /compatibility/subjects/{s}/versions/{v}: the check alone, nothing registered.</summary>
public sealed class CompatibilityApiTests : IAsyncLifetime
{
    private DevBrokerServer _broker = null!;
    private RegistryHttpClient _registry = null!;

    public async Task InitializeAsync()
    {
        _broker = await TestBroker.StartWithRegistryAsync();
        _registry = new RegistryHttpClient(_broker.SchemaRegistryUrl!);
        await _registry.RegisterOkAsync("events-value", TestSchemas.InventoryEvent);
    }

    public async Task DisposeAsync()
    {
        _registry.Dispose();
        await _broker.DisposeAsync();
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("1")]
    public async Task Check_OptionalFieldAdded_IsCompatibleTrueAndNothingRegistered(string version)
    {
        var answer = await _registry.PostAsync($"compatibility/subjects/events-value/versions/{version}",
            new { schema = TestSchemas.InventoryEventWith("""{"name":"note","type":["null","string"],"default":null}""") });

        Assert.Equal((200, """{"is_compatible":true}"""), (answer.Status, answer.Text));
        Assert.Equal("[1]", (await _registry.GetAsync("subjects/events-value/versions")).Text);
    }

    [Fact]
    public async Task Check_RequiredFieldAdded_IsCompatibleFalse_VerboseSaysWhy()
    {
        var schema = TestSchemas.InventoryEventWith("""{"name":"warehouse","type":"string"}""");

        var plain = await _registry.PostAsync("compatibility/subjects/events-value/versions/latest", new { schema });
        var verbose = await _registry.PostAsync("compatibility/subjects/events-value/versions/latest?verbose=true", new { schema });

        Assert.Equal((200, """{"is_compatible":false}"""), (plain.Status, plain.Text));
        Assert.False(verbose.Json!["is_compatible"]!.GetValue<bool>());
        Assert.Contains("'warehouse'", verbose.Json["messages"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AgainstAllVersionsPerLevel_SameAnswerAsRegistration()
    {
        var answer = await _registry.PostAsync("compatibility/subjects/events-value/versions",
            new { schema = TestSchemas.InventoryEventWith("""{"name":"warehouse","type":"string"}""") });

        Assert.Equal("""{"is_compatible":false}""", answer.Text);
    }

    [Fact]
    public async Task Check_LatestOfSubjectWithoutVersions_Compatible()
    {
        var answer = await _registry.PostAsync("compatibility/subjects/new-value/versions/latest", new { schema = TestSchemas.InventoryEvent });

        Assert.Equal("""{"is_compatible":true}""", answer.Text);
    }

    [Fact]
    public async Task Check_UnknownVersionBadVersionOrInvalidSchema_ConfluentErrors()
    {
        var unknown = await _registry.PostAsync("compatibility/subjects/events-value/versions/9", new { schema = TestSchemas.InventoryEvent });
        var bad = await _registry.PostAsync("compatibility/subjects/events-value/versions/first", new { schema = TestSchemas.InventoryEvent });
        var invalid = await _registry.PostAsync("compatibility/subjects/events-value/versions/latest", new { schema = "{\"type\":\"nope\"}" });

        Assert.Equal((404, 40402), (unknown.Status, unknown.ErrorCode));
        Assert.Equal((422, 42202), (bad.Status, bad.ErrorCode));
        Assert.Equal((422, 42201), (invalid.Status, invalid.ErrorCode));
    }
}
