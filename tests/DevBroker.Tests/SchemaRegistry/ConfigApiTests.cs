using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.SchemaRegistry;

/// <summary>/config over real HTTP: the global level, a subject's own, 40408, defaultToGlobal, invalid levels.</summary>
public sealed class ConfigApiTests : IAsyncLifetime
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
    public async Task GetConfig_NothingSet_Backward()
    {
        var answer = await _registry.GetAsync("config");

        Assert.Equal((200, """{"compatibilityLevel":"BACKWARD"}"""), (answer.Status, answer.Text));
    }

    [Theory]
    [InlineData("NONE")]
    [InlineData("forward")]
    [InlineData("FULL")]
    [InlineData("BACKWARD_TRANSITIVE")]
    [InlineData("FORWARD_TRANSITIVE")]
    [InlineData("full_transitive")]
    public async Task PutConfig_EachLevel_AnsweredAndThenServed(string level)
    {
        var set = await _registry.SetLevelAsync(null, level);

        Assert.Equal((200, $$"""{"compatibility":"{{level.ToUpperInvariant()}}"}"""), (set.Status, set.Text));
        Assert.Equal($$"""{"compatibilityLevel":"{{level.ToUpperInvariant()}}"}""", (await _registry.GetAsync("config")).Text);
    }

    [Fact]
    public async Task GetSubjectConfig_NoOwnLevel_40408UnlessDefaultToGlobal()
    {
        await _registry.SetLevelAsync(null, "FULL");

        var own = await _registry.GetAsync("config/events-value");
        var fallback = await _registry.GetAsync("config/events-value?defaultToGlobal=true");

        Assert.Equal((404, """{"error_code":40408,"message":"Subject 'events-value' does not have subject-level compatibility configured"}"""), (own.Status, own.Text));
        Assert.Equal((200, """{"compatibilityLevel":"FULL"}"""), (fallback.Status, fallback.Text));
    }

    [Fact]
    public async Task PutSubjectConfig_OverridesGlobalForThatSubjectOnly_DeleteRestoresGlobal()
    {
        var set = await _registry.SetLevelAsync("events-value", "NONE");

        Assert.Equal("""{"compatibility":"NONE"}""", set.Text);
        Assert.Equal("""{"compatibilityLevel":"NONE"}""", (await _registry.GetAsync("config/events-value")).Text);
        Assert.Equal("""{"compatibilityLevel":"BACKWARD"}""", (await _registry.GetAsync("config")).Text);
        Assert.Equal(404, (await _registry.GetAsync("config/other-value")).Status);

        var deleted = await _registry.DeleteAsync("config/events-value");

        Assert.Equal((200, """{"compatibilityLevel":"NONE"}"""), (deleted.Status, deleted.Text));
        Assert.Equal(40408, (await _registry.GetAsync("config/events-value")).ErrorCode);
    }

    [Theory]
    [InlineData("""{"compatibility":"SIDEWAYS"}""")]
    [InlineData("""{"compatibilityLevel":"FULL"}""")]
    [InlineData("""{}""")]
    public async Task PutConfig_InvalidLevel_422With42203(string body)
    {
        var answer = await _registry.PutAsync("config", System.Text.Json.Nodes.JsonNode.Parse(body)!);

        Assert.Equal(422, answer.Status);
        Assert.Equal("""{"error_code":42203,"message":"Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive"}""", answer.Text);
        Assert.Equal("""{"compatibilityLevel":"BACKWARD"}""", (await _registry.GetAsync("config")).Text);
    }
}
