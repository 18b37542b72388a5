// Each pipeline test runs a broker, a Redis server and a silo; on two cores they must not compete with each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
