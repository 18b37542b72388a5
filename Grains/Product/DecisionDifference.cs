using InventoryOrleans.Grains.Interfaces;

namespace InventoryOrleans.Grains.Product;

/// <summary>A message whose decision in the rebuild is not the one published (it was decided on lost state).</summary>
public sealed record DecisionDifference(
    EventPosition Position,
    string EventId,
    OutcomeStatus PublishedStatus,
    string? PublishedReason,
    long PublishedVersion,
    OutcomeStatus RebuiltStatus,
    string? RebuiltReason,
    long RebuiltVersion);
