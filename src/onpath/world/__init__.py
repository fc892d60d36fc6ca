"""onpath.world."""
