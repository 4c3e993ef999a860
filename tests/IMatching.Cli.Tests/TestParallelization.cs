// The commands under test run in-process and share libtorch's global state (random generator, thread count) and
// one garbage collector: run in parallel, one command's seeding or collections perturb another's training run
// (a short pretraining then lost a step to a non-finite gradient). Commands run one at a time, as from a shell.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
