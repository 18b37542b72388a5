using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Bench.Pipeline;

/// <summary>An endless source of input events for <see cref="EventFeeder"/>: each call gives the next and its input topic.</summary>
public interface IEventStream
{
    (string Topic, InventoryEvent Event) Next(DateTimeOffset now);
}
