"""onpath.store."""
