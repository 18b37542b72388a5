using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Kafka;
using InventoryOrleans.Grains.Placement;
using InventoryOrleans.Grains.Product;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.Ingest.Decoding;

namespace InventoryOrleans.Ingest.Rollback;

/// <summary>
/// Rebuilds a product's stored state from the log: the repair of a product found rolled back (docs/operations.md, runbook "State
/// rolled back"; <c>POST /api/ops/products/{productId}/rebuild</c>). Its decided messages are read back in the order
/// they were decided (<see cref="ProductHistoryReader"/>), replayed from nothing (<see cref="ProductRebuild"/>), each
/// decision compared with the published one, and the result written over the stored state with the ETag it was read
/// with: a grain write in between makes the rebuild fail instead of being lost (run it again). The activation holding
/// the replaced state goes; the next one reads the rebuilt state and registers its expiry reminder.
/// </summary>
public sealed partial class ProductRebuilder(
    IServiceProvider services,
    IGrainFactory grains,
    LocalProductActivations activations,
    IOptions<KafkaOptions> kafka,
    InputDecoder decoder,
    RegistrySchemas registry,
    IOptions<RollbackCheckOptions> options,
    IOptions<ProductGrainOptions> grainOptions,
    IOptions<InventoryOptions> inventory,
    TimeProvider time,
    ILogger<ProductRebuilder> logger)
{
    private readonly ProductHistoryReader _history = new(kafka.Value, decoder, registry, time);

    /// <summary>
    /// Rebuilds the product. Unless <paramref name="acceptDifferences"/>, a rebuild whose decisions differ from the
    /// published ones is reported and not written.
    /// </summary>
    public async Task<RebuildReport> RebuildAsync(string productId, bool acceptDifferences, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(productId);
        var storage = services.GetRequiredKeyedService<IGrainStorage>(ProductGrain.StorageName);
        var grainId = ProductGrain.IdOf(productId);
        var stored = new GrainState<ProductState>();
        await storage.ReadStateAsync(ProductGrain.StateName, grainId, stored);
        var storedState = stored.State ?? new ProductState();

        var (history, problem) = await Task.Factory.StartNew(
            () => _history.Read(productId, options.Value.ScanTimeout, cancellationToken),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        if (problem is not null)
        {
            return Refused(productId, history.Count, $"the log no longer holds the product's whole history: {problem}");
        }

        if (history.Count == 0)
        {
            // Nothing is kept for a product no event changed; a rebuild must not create it.
            return Refused(productId, 0, $"inventory.outcomes holds no decision about {productId}: nothing to rebuild");
        }

        // The stored state may hold decisions whose outcomes are not published yet (a batch between its grain write and
        // its publication): the rebuild must not go without them.
        var published = history
            .GroupBy(h => $"{h.Position.Topic}/{h.Position.Partition}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(h => h.Position.Offset), StringComparer.Ordinal);
        foreach (var (partition, watermark) in storedState.Offsets)
        {
            if (watermark > published.GetValueOrDefault(partition, -1))
            {
                return Refused(productId, history.Count, $"its stored state decided {partition} up to offset {watermark}, beyond the published outcomes (a batch is on its way): run the rebuild again");
            }
        }

        var rebuilt = ProductRebuild.Replay(productId, storedState, history, grainOptions.Value.DedupWindowSize, inventory.Value.LowStockThreshold);
        if (rebuilt.Differences.Count > 0 && !acceptDifferences)
        {
            return new RebuildReport(productId, false, $"{rebuilt.Differences.Count} decisions of the rebuild differ from the published ones (made on lost state); nothing written: rebuild with acceptDifferences to write the rebuilt state", history.Count, rebuilt.State.Version, rebuilt.Differences);
        }

        stored.State = rebuilt.State;
        try
        {
            await storage.WriteStateAsync(ProductGrain.StateName, grainId, stored);
        }
        catch (InconsistentStateException)
        {
            return Refused(productId, history.Count, "the product was written while it was rebuilt: run the rebuild again");
        }

        // Wherever the replaced state is held, it goes: the grain deactivates when storage is not what it last wrote.
        var grain = grains.GetProductGrain(productId);
        await grain.HoldsDecisionAsync(history[^1].Event.EventId, history[^1].Position);

        await activations.DeactivateAsync(p => p == productId, "rebuilt from the log", cancellationToken);

        // A fresh activation syncs its expiry reminder to the rebuilt reservations: the rebuilt state counts everything
        // published (it came from committed outcomes), so this only moves or drops the reminder.
        await grain.SkipPublicationAsync();
        Log.Rebuilt(logger, productId, history.Count, rebuilt.State.Version, rebuilt.Differences.Count);
        return new RebuildReport(productId, true, null, history.Count, rebuilt.State.Version, rebuilt.Differences);
    }

    private RebuildReport Refused(string productId, int messages, string problem)
    {
        Log.Refused(logger, productId, problem);
        return new RebuildReport(productId, false, problem, messages, 0, []);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Product {ProductId} rebuilt from the log: {Messages} decided messages replayed, version {Version}, {Differences} decisions differ from the published ones")]
        public static partial void Rebuilt(ILogger logger, string productId, int messages, long version, int differences);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Product {ProductId} not rebuilt: {Problem}")]
        public static partial void Refused(ILogger logger, string productId, string problem);
    }
}
