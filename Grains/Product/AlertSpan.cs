namespace InventoryOrleans.Grains.Product;

/// <summary>
/// The versions (<see cref="From"/> to <see cref="To"/>) one input topic-partition's latest batch of new messages
/// changed: until that batch is committed a crash can replay it, so the alerts raised there are kept for republication.
/// </summary>
public sealed class AlertSpan
{
    public long From { get; set; }

    public long To { get; set; }

    public bool Holds(long version) => From <= version && version <= To;
}
