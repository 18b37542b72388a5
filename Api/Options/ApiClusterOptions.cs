namespace InventoryOrleans.Api.Options;

/// <summary>
/// How a standalone Api host finds the Orleans cluster: the silos' Redis (section <c>Redis</c>) and the cluster
/// identity (section <c>Orleans</c>, the same defaults as the silo).
/// </summary>
public sealed class ApiClusterOptions
{
    /// <summary>The StackExchange.Redis connection string of the silos' Redis (<c>Redis:ConnectionString</c>); required.</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary><c>Orleans:ClusterId</c>: the cluster the silos formed.</summary>
    public string ClusterId { get; set; } = "inventory";

    /// <summary><c>Orleans:ServiceId</c>: the silos' service identity.</summary>
    public string ServiceId { get; set; } = "inventory-orleans";

    public static ApiClusterOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ApiClusterOptions { RedisConnectionString = configuration["Redis:ConnectionString"] };
        options.ClusterId = configuration["Orleans:ClusterId"] is { Length: > 0 } clusterId ? clusterId : options.ClusterId;
        options.ServiceId = configuration["Orleans:ServiceId"] is { Length: > 0 } serviceId ? serviceId : options.ServiceId;
        return options;
    }
}
