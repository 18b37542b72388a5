// The tests share one cluster (broker, Redis, two silos) and one Api host; on two cores they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
