namespace InventoryOrleans.Grains;

/// <summary>Settings of <see cref="ProductGrain"/>, bound from the configuration section <c>ProductGrain</c>.</summary>
public sealed class ProductGrainOptions
{
    public const string SectionName = "ProductGrain";

    /// <summary>
    /// How many recent decisions each product remembers for de-duplication and redelivery (default 10,000). Larger
    /// windows catch later re-sends; they cost memory and activation time, not write size (the window is stored in
    /// sealed segments).
    /// </summary>
    public int DedupWindowSize { get; set; } = 10_000;

    /// <summary>
    /// The period of the expiry reminder (default 2 s): after a reservation's expiry the reminder fires again this
    /// often until the released stock is published, so a silo that dies in between delays it by about this much.
    /// The silo lowers Orleans' <c>ReminderOptions.MinimumReminderPeriod</c> to it.
    /// </summary>
    public TimeSpan ExpiryRetryPeriod { get; set; } = TimeSpan.FromSeconds(2);
}
