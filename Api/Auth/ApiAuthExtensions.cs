using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace InventoryOrleans.Api.Auth;

/// <summary>Registers the API-key schemes and the <see cref="ApiPolicies"/>.</summary>
public static class ApiAuthExtensions
{
    /// <summary>
    /// The two API-key schemes and the policies: with keys set, <see cref="ApiPolicies.Writes"/> needs a Bearer key and
    /// <see cref="ApiPolicies.Dashboard"/> a Bearer or Basic key; with none, both let everyone through. Reads need no policy.
    /// </summary>
    public static IServiceCollection AddApiKeyAuthorization(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ApiKeyRing>();

        // The challenge answers ProblemDetails.
        services.AddProblemDetails();
        services.AddAuthentication()
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeySchemes.Bearer, o => o.Challenges = ["Bearer"])
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeySchemes.BearerOrBasic, o =>
            {
                o.AcceptBasic = true;
                o.Challenges = ["Basic realm=\"Inventory dashboard\", charset=\"UTF-8\"", "Bearer"];
            });
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<ApiKeyRing>((authorization, keys) =>
        {
            authorization.AddPolicy(ApiPolicies.Writes, policy => KeyOrAnyone(policy, keys, ApiKeySchemes.Bearer));
            authorization.AddPolicy(ApiPolicies.Dashboard, policy => KeyOrAnyone(policy, keys, ApiKeySchemes.BearerOrBasic));
        });
        return services;
    }

    private static void KeyOrAnyone(AuthorizationPolicyBuilder policy, ApiKeyRing keys, string scheme)
    {
        if (keys.Enabled)
        {
            policy.AddAuthenticationSchemes(scheme).RequireAuthenticatedUser();
        }
        else
        {
            // No keys configured (a loopback-only host, see ApiExposureValidator): open, as the contract says.
            policy.RequireAssertion(_ => true);
        }
    }
}
