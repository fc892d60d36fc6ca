"""onpath.simulate."""
