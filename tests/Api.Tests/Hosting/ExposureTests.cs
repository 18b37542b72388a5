using System.Globalization;
using InventoryOrleans.Api.Hosting;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.TestSupport;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Tests.Hosting;

/// <summary>A host reachable beyond loopback with no Api__Keys refuses to start, and says how to set one.</summary>
[Collection(ApiClusterCollection.Name)]
public sealed class ExposureTests(ApiCluster cluster)
{
    [Theory]
    [InlineData("http://0.0.0.0:{0}", null)]
    [InlineData("http://[::]:{0}", null)]
    [InlineData("http://*:{0}", null)]
    [InlineData("http://+:{0}", null)]
    [InlineData("http://127.0.0.1:{0};http://192.0.2.10:{0}", null)]
    [InlineData("http://127.0.0.1:{0}", "http://0.0.0.0:{1}")]
    public async Task Start_ListeningBeyondLoopbackWithoutKeys_RefusesAndSaysHowToSetApiKeys(string urls, string? grpcUrl)
    {
        var ports = new object[] { FreePort.Next(), FreePort.Next() };
        var restUrls = string.Format(CultureInfo.InvariantCulture, urls, ports);
        var settings = cluster.Settings();
        if (grpcUrl is not null)
        {
            settings["Api:GrpcUrl"] = string.Format(CultureInfo.InvariantCulture, grpcUrl, ports);
        }

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiTestHost.StartAsync(cluster.Inventory.Grains, settings, urls: restUrls));

        Assert.Contains("Api__Keys", refused.Message, StringComparison.Ordinal);
        Assert.Contains(settings.GetValueOrDefault("Api:GrpcUrl") ?? restUrls.Split(';')[^1], refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5001")]
    [InlineData("http://127.9.8.7:5000", "http://localhost:5001")]
    [InlineData("http://localhost:5000;http://[::1]:5002", "http://[::1]:5001")]
    [InlineData("http://LOCALHOST:5000", "http://127.0.0.1:5001")]
    public void Validate_LoopbackOnlyWithoutKeys_Passes(string urls, string grpcUrl)
    {
        var result = new ApiExposureValidator(new RestUrls(urls.Split(';'))).Validate(null, new ApiOptions { GrpcUrl = grpcUrl });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_BeyondLoopbackWithAKey_Passes()
    {
        var result = new ApiExposureValidator(new RestUrls(["http://0.0.0.0:5000"])).Validate(null, new ApiOptions { GrpcUrl = "http://0.0.0.0:5001", Keys = "k" });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("https://127.0.0.1:5000", "http://127.0.0.1:5001", "--urls")]
    [InlineData("not a url", "http://127.0.0.1:5001", "--urls")]
    [InlineData("http://127.0.0.1:5001", "http://127.0.0.1:5001", "Api__GrpcUrl")]
    public void Validate_UnusableAddresses_FailWithTheSettingToFix(string urls, string grpcUrl, string setting)
    {
        var result = new ApiExposureValidator(new RestUrls([urls])).Validate(null, new ApiOptions { GrpcUrl = grpcUrl });
        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
    }
}
