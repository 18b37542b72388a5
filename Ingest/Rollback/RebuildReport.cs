using InventoryOrleans.Grains.Product;

namespace InventoryOrleans.Ingest.Rollback;

/// <summary>
/// What a rebuild of a product did (<see cref="ProductRebuilder"/>): <see cref="Rebuilt"/> when its rebuilt state was
/// written; else <see cref="Problem"/> says why not (the log lacks its history, it changed meanwhile, or decisions
/// differ and were not accepted). <see cref="Differences"/> lists the messages whose rebuilt decision is not the
/// published one (decided on lost state, after storage went back).
/// </summary>
public sealed record RebuildReport(
    string ProductId,
    bool Rebuilt,
    string? Problem,
    int Messages,
    long Version,
    IReadOnlyList<DecisionDifference> Differences);
