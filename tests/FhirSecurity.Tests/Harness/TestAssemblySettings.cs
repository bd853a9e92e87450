using Xunit;

// One process-wide vault state (TestVaults) and one process environment (PSModulePath): tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
