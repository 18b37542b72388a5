namespace InventoryOrleans.DevBroker.Handlers;

/// <summary>The one place that lists every API the broker serves (add a line per handler).</summary>
public static class BrokerHandlers
{
    public static IReadOnlyList<IApiHandler> Create() =>
    [
        new ProduceHandler(),
        new FetchHandler(),
        new ListOffsetsHandler(),
        new MetadataHandler(),
        new OffsetCommitHandler(),
        new OffsetFetchHandler(),
        new FindCoordinatorHandler(),
        new JoinGroupHandler(),
        new HeartbeatHandler(),
        new LeaveGroupHandler(),
        new SyncGroupHandler(),
        new DescribeGroupsHandler(),
        new ListGroupsHandler(),
        new ApiVersionsHandler(),
        new CreateTopicsHandler(),
        new DeleteTopicsHandler(),
        new InitProducerIdHandler(),
        new AddPartitionsToTxnHandler(),
        new AddOffsetsToTxnHandler(),
        new EndTxnHandler(),
        new TxnOffsetCommitHandler(),
        new DescribeConfigsHandler(),
        new CreatePartitionsHandler(),
        new DeleteGroupsHandler(),
    ];
}
