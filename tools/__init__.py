"""Tools around the assistant: the clients that talk to it, the evaluations, the benchmarks and
the support staff's tools (tools/staff)."""
