extern alias server;

using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using server::InventoryOrleans.Api.Auth;
using server::InventoryOrleans.Api.Hosting;

namespace InventoryOrleans.Api.Grpc.Tests.Support;

/// <summary>
/// A test of the API keys, which the REST side of the Api brings (<c>AddInventoryApi</c> registering the
/// <see cref="ApiPolicies.Writes"/> policy and the API-key authentication): skipped, saying so, while
/// <c>AddInventoryApi</c> registers no such policy; runs as soon as it does.
/// </summary>
public sealed class ApiKeyAuthFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> WritesPolicyRegistered = new(() =>
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddInventoryApi();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.GetPolicy(ApiPolicies.Writes) is not null;
    });

    public ApiKeyAuthFactAttribute()
    {
        if (!WritesPolicyRegistered.Value)
        {
            Skip = $"needs the REST side's API keys: AddInventoryApi registers no '{ApiPolicies.Writes}' policy yet (runs once it is merged)";
        }
    }
}
