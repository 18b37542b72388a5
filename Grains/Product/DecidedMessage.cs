using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Product;

/// <summary>One message a product decided: the event, where it was read, when it was decided, and the outcome published.</summary>
public sealed record DecidedMessage(InventoryEvent Event, EventPosition Position, DateTimeOffset DecidedAt, OutcomeStatus Status, string? Reason, long Version);
