using Microsoft.AspNetCore.Hosting.Server.Features;

namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// Takes the <see cref="RestUrls"/> out of the server's address list before Kestrel starts: <see cref="ApiKestrelSetup"/>
/// binds them itself (beside the gRPC endpoint), and Kestrel would otherwise warn at every start that it overrides them.
/// (The host fills the list from <c>--urls</c>, or the port settings, just before it builds the pipeline, which is when
/// startup filters run.) With the list empty, Kestrel binds its endpoints only, even with <c>preferHostingUrls</c>.
/// </summary>
public sealed class RestUrlsStartupFilter(RestUrls rest) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (app.ServerFeatures.Get<IServerAddressesFeature>()?.Addresses is { IsReadOnly: false } addresses)
        {
            foreach (var address in addresses.Where(a => rest.Values.Contains(a.Trim(), StringComparer.Ordinal)).ToList())
            {
                addresses.Remove(address);
            }
        }

        next(app);
    };
}
