"""onpath.store: the snapshot catalog (Parquet per table per dataset, manifest, DuckDB views)."""

from onpath.store.snapshot import Snapshot

__all__ = ["Snapshot"]
