"""onpath.incidents."""
