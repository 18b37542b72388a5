using Grpc.Core;
using InventoryOrleans.Api.Grpc;

namespace InventoryOrleans.Bench.Api.Baseline;

/// <summary>The trivial gRPC endpoint: answers GetStock with one constant stock, no grain call.</summary>
internal sealed class BaselineService : Baseline.BaselineBase
{
    private static readonly Stock Constant = new()
    {
        ProductId = "baseline",
        OnHand = 10,
        Available = 10,
        Version = 1,
        LastEventId = "baseline-1",
        UpdatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
        Locations = { ["default"] = 10 },
    };

    public override Task<Stock> GetStock(GetStockRequest request, ServerCallContext context) => Task.FromResult(Constant);
}
