"""onpath.entities."""
