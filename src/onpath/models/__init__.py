"""onpath.models."""
