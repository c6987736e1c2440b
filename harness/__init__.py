"""Starting the assistant's servers and talking to them, for tests, evaluations and
benchmarks."""
