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

    /// <summary>
    /// How long a product may go without a call (an event, a read, a watch renewal, its reminder) before Orleans
    /// deactivates it (default 2 minutes, Orleans' own default being 15): a catalog of a million products must not stay
    /// resident because each was touched once. What it costs: the next call reads the product's state again (its head
    /// and window segments, one Redis call). Must exceed Orleans' collection quantum (one minute).
    /// </summary>
    public TimeSpan IdleCollectionAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The silo's managed memory as a share of the machine's (or container's) memory, in percent, above which Orleans
    /// deactivates the least recently used activations, after a full garbage collection, as many as should bring it
    /// 10 points lower (default 85; 0 turns shedding off). Activations are the one memory of a silo that grows with the
    /// catalog; shedding them costs a state read, while running out of memory costs the process.
    /// </summary>
    public int ShedActivationsAbovePercent { get; set; } = 85;
}
