using Grpc.Core;
using Grpc.Health.V1;
using InventoryOrleans.Api.Grpc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static InventoryOrleans.Api.Grpc.Tests.Support.GrpcAssert;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace InventoryOrleans.Api.Grpc.Tests;

/// <summary>Server reflection (what grpcurl-style tools list and describe) and the standard health service on the gRPC endpoint, answering from the host's ready-tagged checks as <c>/readyz</c> does.</summary>
[Collection(ApiCollection.Name)]
public sealed class ReflectionAndHealthTests(ApiCluster api)
{
    [Fact]
    public async Task Reflection_ListServices_InventoryAndHealthListed()
    {
        var v1 = new V1.ServerReflection.ServerReflectionClient(api.Api.Channel);
        using var call = v1.ServerReflectionInfo(deadline: Deadline());
        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("inventory.v1.Inventory", services);
        Assert.Contains("grpc.health.v1.Health", services);
        await EndAsync(call);
    }

    [Fact]
    public async Task Reflection_V1AlphaFileContainingTheService_DescribesTheContractsFourMethods()
    {
        // Older grpcurl releases speak v1alpha only.
        var v1Alpha = new V1Alpha.ServerReflection.ServerReflectionClient(api.Api.Channel);
        using var call = v1Alpha.ServerReflectionInfo(deadline: Deadline());
        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { FileContainingSymbol = "inventory.v1.Inventory" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(bytes => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(bytes))
            .ToList();
        var service = files.Single(f => f.Package == "inventory.v1").Service.Single();
        Assert.Equal("Inventory", service.Name);
        Assert.Equal(["GetStock", "GetStocks", "WatchStock", "PostEvent"], service.Method.Select(m => m.Name));
        Assert.True(service.Method.Single(m => m.Name == "WatchStock").ServerStreaming);
        await EndAsync(call);
    }

    [Theory]
    [InlineData("")]
    [InlineData("inventory.v1.Inventory")]
    public async Task Health_Check_Serving(string service)
    {
        var health = new Health.HealthClient(api.Api.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest { Service = service }, deadline: Deadline());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Health_ApiHostReadinessChecks_OrleansThenBroker_BothHealthy()
    {
        // The default host's own checks: the cluster answers through its client, its broker answers.
        var checks = api.Api.Services.GetRequiredService<HealthCheckService>();

        var ready = await checks.CheckHealthAsync(r => r.Tags.Contains("ready"));

        Assert.Equal(["orleans", "broker"], ready.Entries.Keys);
        Assert.Equal(HealthStatus.Healthy, ready.Status);
    }

    [Fact]
    public async Task Health_ReadyCheckFails_NotServingForTheServerAndTheService_OtherChecksIgnored()
    {
        await using var failing = await api.StartHostAsync(services: s => s.AddHealthChecks()
            .AddCheck("not-ready", () => HealthCheckResult.Unhealthy("a ready check that fails"), tags: ["ready"]));
        await using var unrelated = await api.StartHostAsync(services: s => s.AddHealthChecks()
            .AddCheck("untagged", () => HealthCheckResult.Unhealthy("a check readiness does not read")));

        foreach (var service in new[] { "", "inventory.v1.Inventory" })
        {
            var notReady = await new Health.HealthClient(failing.Channel).CheckAsync(new HealthCheckRequest { Service = service }, deadline: Deadline());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, notReady.Status);
            var ready = await new Health.HealthClient(unrelated.Channel).CheckAsync(new HealthCheckRequest { Service = service }, deadline: Deadline());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, ready.Status);
        }
    }

    [Fact]
    public async Task Health_CheckOfAnUnknownService_NotFound()
    {
        var health = new Health.HealthClient(api.Api.Channel);

        await FailsAsync(StatusCode.NotFound, () => health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }, deadline: Deadline()).ResponseAsync);
    }

    // The client ends its side and reads the server's end, so the call closes cleanly instead of being reset.
    private static async Task EndAsync<TRequest, TResponse>(AsyncDuplexStreamingCall<TRequest, TResponse> call)
    {
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }
}
