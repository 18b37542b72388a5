namespace InventoryOrleans.Api.Options;

/// <summary>Settings of stock watches (configuration section <c>Watch</c>), validated at start.</summary>
public sealed class WatchOptions
{
    public const string SectionName = "Watch";

    /// <summary>
    /// How long a watcher may leave a change unread (SSE <c>/changes</c>, gRPC <c>WatchStock</c>) before its watch is
    /// ended; it gets as long again to take the end before its connection is dropped.
    /// </summary>
    public TimeSpan MaxLag { get; set; } = TimeSpan.FromSeconds(30);
}
