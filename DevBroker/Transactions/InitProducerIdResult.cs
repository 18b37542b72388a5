using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Transactions;

/// <summary>The answer to InitProducerId: the producer id and epoch to use, or the error (then −1 / −1).</summary>
public readonly record struct InitProducerIdResult(ErrorCode Error, long ProducerId, short ProducerEpoch)
{
    public static InitProducerIdResult Failed(ErrorCode error) => new(error, -1, -1);
}
