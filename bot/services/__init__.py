"""Use cases: each function is one workflow step, run in one unit of work."""
