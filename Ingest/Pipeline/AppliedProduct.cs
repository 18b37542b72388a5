using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.Publishing;

namespace InventoryOrleans.Ingest.Pipeline;

/// <summary>A product whose events of the batch are applied and persisted, with the records to publish for it.</summary>
internal sealed record AppliedProduct(BatchApplyResult Result, IReadOnlyList<OutgoingMessage> Records);
