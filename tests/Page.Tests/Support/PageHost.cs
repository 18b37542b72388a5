namespace InventoryOrleans.Page.Tests.Support;

/// <summary>The two hosts that serve the inventory page: the silo (co-hosting the API) and the standalone Api host.</summary>
public enum PageHost
{
    Silo,
    Api,
}
