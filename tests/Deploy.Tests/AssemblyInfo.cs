// Each test starts a docker-compose or shell process; on two cores they need not compete.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
