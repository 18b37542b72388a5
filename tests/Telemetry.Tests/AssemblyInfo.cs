// Each test runs a broker, a Redis server and silos, and the metrics test listens to every meter of the process: on two
// cores, and for exact counts, tests must not run side by side.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
