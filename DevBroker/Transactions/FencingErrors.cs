using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Transactions;

/// <summary>PRODUCER_FENCED came with KIP-588 (InitProducerId v4; AddPartitionsToTxn, AddOffsetsToTxn and EndTxn v2).
/// Older versions answer INVALID_PRODUCER_EPOCH instead, as Kafka does; clients treat both as fatal fencing.</summary>
public static class FencingErrors
{
    public static ErrorCode ForVersion(ErrorCode error, short version, short producerFencedSince) =>
        error == ErrorCode.ProducerFenced && version < producerFencedSince ? ErrorCode.InvalidProducerEpoch : error;
}
