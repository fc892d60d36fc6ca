"""onpath.metrics."""
