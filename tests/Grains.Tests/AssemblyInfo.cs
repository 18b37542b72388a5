// The silo tests run real silos and a real Redis server and check timing promises (expiry within 5 s) on a 2-core
// machine; the randomized ledger tests are CPU-bound. Run one test at a time so neither skews the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
