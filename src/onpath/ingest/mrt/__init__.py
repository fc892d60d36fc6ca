"""onpath.ingest.mrt."""
