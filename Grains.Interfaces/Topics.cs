namespace InventoryOrleans.Grains.Interfaces;

/// <summary>Topic names of CONTRACTS.md.</summary>
public static class Topics
{
    public const string Snapshots = "inventory.snapshots";
    public const string Sales = "inventory.sales";
    public const string Events = "inventory.events";
    public const string NetStock = "inventory.net-stock";
    public const string Outcomes = "inventory.outcomes";
    public const string DeadLetter = "inventory.dlq";
    public const string Alerts = "inventory.alerts";

    /// <summary>The input topics, which must share one partition count.</summary>
    public static IReadOnlyList<string> Inputs { get; } = [Snapshots, Sales, Events];
}
