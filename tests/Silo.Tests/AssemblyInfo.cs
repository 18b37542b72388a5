// Each test runs silo processes (and a broker and Redis); on two cores they must not compete with each other, and
// the failover times they measure must be the product's, not a neighbour test's.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
