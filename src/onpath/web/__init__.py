"""onpath.web."""
