"""onpath.sources."""
