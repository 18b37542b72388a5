namespace InventoryOrleans.Api.Auth;

/// <summary>The authentication schemes of the API keys.</summary>
public static class ApiKeySchemes
{
    /// <summary>API writes: <c>Authorization: Bearer &lt;key&gt;</c>; a 401 challenges <c>Bearer</c>.</summary>
    public const string Bearer = "api-key";

    /// <summary>The dashboard: Bearer, or HTTP Basic with the key as password; a 401 challenges Basic first, so a browser prompts.</summary>
    public const string BearerOrBasic = "api-key-or-basic";
}
