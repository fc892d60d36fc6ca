"""onpath.report."""
