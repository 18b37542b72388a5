using Google.Protobuf.WellKnownTypes;
using InventoryOrleans.Grains.Interfaces;
using GrainOutcomeStatus = InventoryOrleans.Grains.Interfaces.OutcomeStatus;

namespace InventoryOrleans.Api.Grpc;

/// <summary>The grain side's stock and decisions as the proto's <see cref="Stock"/> and <see cref="Outcome"/>.</summary>
public static class StockMessages
{
    /// <summary>A product's stock; <c>updated_at</c> stays unset for a product never changed (version 0).</summary>
    public static Stock From(StockView stock)
    {
        ArgumentNullException.ThrowIfNull(stock);
        var message = new Stock
        {
            ProductId = stock.ProductId,
            OnHand = stock.OnHand,
            Reserved = stock.Reserved,
            InTransit = stock.InTransit,
            Available = stock.Available,
            Version = stock.Version,
            LastEventId = stock.LastEventId ?? "",

            LowStock = stock.LowStock,
            LowStockThreshold = stock.LowStockThreshold,
        };
        if (stock.UpdatedAt != default)
        {
            message.UpdatedAt = Timestamp.FromDateTimeOffset(stock.UpdatedAt);
        }

        foreach (var (location, onHand) in stock.Locations)
        {
            message.Locations[location] = onHand;
        }

        return message;
    }

    /// <summary>The grain's decision about a posted event; an empty <c>reason</c> means none.</summary>
    public static Outcome From(EventDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new Outcome
        {
            Status = From(decision.Status),
            Reason = decision.Reason ?? "",
            Version = decision.Version,
            Stock = From(decision.Stock),
        };
    }

    public static OutcomeStatus From(GrainOutcomeStatus status) => status switch
    {
        GrainOutcomeStatus.Applied => OutcomeStatus.Applied,
        GrainOutcomeStatus.Duplicate => OutcomeStatus.Duplicate,
        GrainOutcomeStatus.Rejected => OutcomeStatus.Rejected,
        _ => OutcomeStatus.Unspecified,
    };
}
