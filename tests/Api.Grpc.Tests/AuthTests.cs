using Grpc.Core;
using InventoryOrleans.Api.Grpc.Tests.Support;
using static InventoryOrleans.Api.Grpc.Tests.Support.GrpcAssert;

namespace InventoryOrleans.Api.Grpc.Tests;

/// <summary>With <c>Api:Keys</c> set, PostEvent needs <c>authorization: Bearer &lt;key&gt;</c> (else UNAUTHENTICATED); reads stay open.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuthTests(ApiCluster api)
{
    private static readonly Dictionary<string, string?> Keys = new() { ["Api:Keys"] = "first-key, second-key" };

    [ApiKeyAuthFact]
    public async Task PostEvent_KeysSetAndNoKey_UnauthenticatedAndNothingProduced()
    {
        await using var host = await api.StartHostAsync(Keys);
        var before = InputRecords();

        await FailsAsync(StatusCode.Unauthenticated, () => host.Client.PostEventAsync(Events.Post(EventType.Receipt, Events.NewProductId("auth-none"), 1), deadline: Deadline()).ResponseAsync);

        Assert.Equal(before, InputRecords());
    }

    [ApiKeyAuthFact]
    public async Task PostEvent_KeysSetAndAWrongKey_Unauthenticated()
    {
        await using var host = await api.StartHostAsync(Keys);

        foreach (var header in new[] { "Bearer third-key", "Bearer", "Basic first-key", "first-key" })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => host.Client.PostEventAsync(Events.Post(EventType.Receipt, Events.NewProductId("auth-wrong"), 1), Authorization(header), Deadline()).ResponseAsync);
            Assert.True(e.StatusCode == StatusCode.Unauthenticated, $"'{header}': {e.StatusCode}");
        }
    }

    [ApiKeyAuthFact]
    public async Task PostEvent_KeysSetAndAValidBearerKey_Posted()
    {
        await using var host = await api.StartHostAsync(Keys);

        var first = await host.Client.PostEventAsync(Events.Post(EventType.Receipt, Events.NewProductId("auth-ok"), 1), Authorization("Bearer first-key"), Deadline());
        var second = await host.Client.PostEventAsync(Events.Post(EventType.Receipt, Events.NewProductId("auth-ok"), 1), Authorization("bearer second-key"), Deadline());

        Assert.Equal(OutcomeStatus.Applied, first.Outcome.Status);
        Assert.Equal(OutcomeStatus.Applied, second.Outcome.Status);
    }

    [ApiKeyAuthFact]
    public async Task ReadsAndWatch_KeysSetAndNoKey_StillAnswered()
    {
        await using var host = await api.StartHostAsync(Keys);
        var productId = Events.NewProductId("auth-read");

        await FailsAsync(StatusCode.NotFound, () => host.Client.GetStockAsync(new GetStockRequest { ProductId = productId }, deadline: Deadline()).ResponseAsync);
        var batch = await host.Client.GetStocksAsync(new GetStocksRequest { ProductIds = { productId } }, deadline: Deadline());
        using var watch = host.Client.WatchStock(new WatchStockRequest { ProductIds = { productId } }, deadline: Deadline());
        await watch.ResponseHeadersAsync;

        Assert.Equal([productId], batch.Missing);
    }

    [Fact]
    public async Task PostEvent_NoKeysConfigured_PostedWithoutAKey()
    {
        var posted = await api.Client.PostEventAsync(Events.Post(EventType.Receipt, Events.NewProductId("auth-off"), 1), deadline: Deadline());

        Assert.Equal(OutcomeStatus.Applied, posted.Outcome.Status);
    }

    private static Metadata Authorization(string value) => new() { { "authorization", value } };

    private long InputRecords() => Grains.Interfaces.Topics.Inputs.Sum(api.Cluster.Client!.Count);
}
