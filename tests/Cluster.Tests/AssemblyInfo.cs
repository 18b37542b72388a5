// Each test runs a broker, a Redis server and several silos; on two cores they must not compete with each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
