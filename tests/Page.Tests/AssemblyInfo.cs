// The tests share one silo process, one Api process and one browser; on two cores they run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
