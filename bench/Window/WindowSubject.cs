using System.Diagnostics;
using System.Globalization;
using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using Orleans.Storage;

namespace InventoryOrleans.Bench.Window;

/// <summary>One provider's product: its state, the ledger that applies events to it, and the timed writes.</summary>
internal sealed class WindowSubject(string name, IGrainStorage storage, string productId, bool wholeDocument)
{
    /// <summary>The de-duplication window the benchmark fills (the product grain's default size).</summary>
    public const int WindowSize = 10_000;

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly GrainId _grainId = ProductGrain.IdOf(productId);
    private long _next;

    public string Name { get; } = name;

    /// <summary>The product's state in memory; <see cref="Stored"/> hands it to the provider.</summary>
    public ProductState State { get; } = new();

    private GrainState<ProductState> Stored => field ??= new(State);

    public List<double> Times { get; } = [];

    private ProductLedger Ledger => field ??= new ProductLedger(productId, State, WindowSize);

    /// <summary>Applies receipts read from one partition, as a batch from Kafka would bring them.</summary>
    public void Apply(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var n = _next++;
            var id = string.Create(CultureInfo.InvariantCulture, $"evt-{n:D10}-{productId}");
            var e = new InventoryEvent(id, InventoryEventType.Receipt, productId, 1, T0.AddSeconds(n), "dc-1", Source: "WMS");
            Ledger.Apply(e, new EventPosition(Topics.Events, 3, n), T0.AddSeconds(n));
        }
    }

    /// <summary>Writes the state; returns the time the provider took, in milliseconds.</summary>
    public async Task<double> WriteAsync()
    {
        if (wholeDocument)
        {
            // A store that writes the whole window every time keeps no segments apart: nothing stays unsaved (the
            // whole-window converter refuses a window that still owes segments to the segmented store).
            State.Window.MarkSaved(State.Window.GetUnsavedChanges());
        }

        var started = Stopwatch.GetTimestamp();
        await storage.WriteStateAsync(ProductGrain.StateName, _grainId, Stored);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Ledger.MarkSaved();
        return elapsed;
    }

    /// <summary>Reads the stored state back; null when it holds the same window as memory, else what differs.</summary>
    public async Task<string?> CheckStoredAsync()
    {
        var stored = new GrainState<ProductState>();
        await storage.ReadStateAsync(ProductGrain.StateName, _grainId, stored);
        var read = stored.State ?? throw new InvalidOperationException("the provider read no state");
        var expected = State.Window.Select(e => e.EventId).ToArray();
        var actual = read.Window.Select(e => e.EventId).ToArray();
        return expected.SequenceEqual(actual, StringComparer.Ordinal) && read.Version == State.Version
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"stored window has {actual.Length} entries (memory {expected.Length}), version {read.Version} (memory {State.Version})");
    }
}
