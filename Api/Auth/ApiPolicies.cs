namespace InventoryOrleans.Api.Auth;

/// <summary>The authorization policies of the API (registered by <c>AddInventoryApi</c>).</summary>
public static class ApiPolicies
{
    /// <summary>Writes (posting events and sales, REST and gRPC): need a valid API key when <c>Api:Keys</c> is set.</summary>
    public const string Writes = "inventory-writes";

    /// <summary>The Orleans dashboard: needs a valid API key (Bearer, or HTTP Basic with the key as password) when <c>Api:Keys</c> is set.</summary>
    public const string Dashboard = "inventory-dashboard";
}
