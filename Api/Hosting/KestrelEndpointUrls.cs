namespace InventoryOrleans.Api.Hosting;

/// <summary>
/// The endpoints of the <c>Kestrel:Endpoints</c> configuration section, name → <c>Url</c> (null when it has none), e.g.
/// <c>Kestrel__Endpoints__Pub__Url=http://0.0.0.0:8080</c>. The host hands that section to Kestrel, which binds these
/// itself when it starts, beside <see cref="ApiKestrelSetup"/>'s endpoints: <see cref="ApiExposureValidator"/> must see
/// them too. Read once while the host is composed, like <see cref="RestUrls"/>.
/// </summary>
public sealed record KestrelEndpointUrls(IReadOnlyDictionary<string, string?> Urls)
{
    /// <summary>The section the web host's Kestrel reads (<c>UseKestrel</c>'s default configuration).</summary>
    public const string SectionName = "Kestrel:Endpoints";

    public static KestrelEndpointUrls None { get; } = new(new Dictionary<string, string?>());

    public static KestrelEndpointUrls From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new KestrelEndpointUrls(configuration.GetSection(SectionName).GetChildren().ToDictionary(e => e.Key, e => e["Url"], StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>How an operator sets one endpoint's URL, for error messages.</summary>
    public static string Setting(string name) => $"Kestrel__Endpoints__{name}__Url";
}
