"""onpath.ingest."""
